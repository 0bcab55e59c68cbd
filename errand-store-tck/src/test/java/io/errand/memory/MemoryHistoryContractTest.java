package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.TaskHistoryContract;

/** The memory store's history against the history contract. */
class MemoryHistoryContractTest extends TaskHistoryContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }
}
