package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.ScheduleStoreContract;

/** The memory store's schedule role against the schedule store contract. */
class MemorySchedulesContractTest extends ScheduleStoreContract {
  @Override
  protected TaskStore newTaskStore() {
    return new MemoryStore();
  }
}
