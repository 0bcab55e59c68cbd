package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.UniquenessContract;

/** The memory store's unique keys against the uniqueness contract. */
class MemoryUniquenessContractTest extends UniquenessContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }
}
