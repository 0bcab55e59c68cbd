package io.errand.memory;

import io.errand.spi.TaskStore;
import io.errand.spi.contract.FlowLimitsContract;

/** The memory store's per-key limits, fairness and rate limits against the flow contract. */
class MemoryFlowLimitsContractTest extends FlowLimitsContract {
  @Override
  protected TaskStore newStore() {
    return new MemoryStore();
  }
}
