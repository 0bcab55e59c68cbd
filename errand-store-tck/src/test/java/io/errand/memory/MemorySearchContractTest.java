package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskSearchContract;

/** The memory store's searches against the search contract. */
class MemorySearchContractTest extends TaskSearchContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }
}
