package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskStoreContract;

/** The memory store against the store contract. */
class MemoryStoreContractTest extends TaskStoreContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }
}
