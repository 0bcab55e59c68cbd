package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.PayloadRoundTripContract;

/** The memory store hands back the same payloads as the stores keeping JSON. */
class MemoryPayloadRoundTripTest extends PayloadRoundTripContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }
}
