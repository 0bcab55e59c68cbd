package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.BatchCallbackContract;

/** Batch callbacks on the memory store, one node. */
class MemoryBatchCallbackContractTest extends BatchCallbackContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }

  @Override
  protected TaskStore secondNode() {
    return null;
  }
}
