package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.QueueControlsContract;

/** The memory store's pauses against the queue controls contract. */
class MemoryControlsContractTest extends QueueControlsContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }

  /** None: the memory store keeps nothing across a close. */
  @Override
  protected TaskStore sameStoreAgain() {
    return null;
  }
}
