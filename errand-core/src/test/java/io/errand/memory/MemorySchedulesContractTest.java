package io.errand.memory;

import io.errand.spi.ScheduleStore;
import io.errand.spi.TaskStore;
import io.errand.spi.contract.ScheduleStoreContract;

/** The memory schedules against the schedule store contract. */
class MemorySchedulesContractTest extends ScheduleStoreContract {
  @Override
  protected TaskStore newTaskStore() {
    return new MemoryStore();
  }

  @Override
  protected ScheduleStore scheduleStore(TaskStore tasks) {
    return new MemorySchedules(tasks);
  }
}
