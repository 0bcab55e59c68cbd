/**
 * The store contract suite ({@code errand-store-tck}): what every {@link io.errand.spi.TaskStore}
 * must do, as JUnit 5 tests. A store passes it by extending each contract in its own tests and
 * returning a fresh store:
 *
 * <pre>{@code
 * class MyStoreContractTest extends TaskStoreContract {
 *   @Override
 *   protected TaskStore newStore() {
 *     return new MyStore(...);   // empty, not yet opened: the suite opens and closes it
 *   }
 * }
 * }</pre>
 *
 * <p>{@link io.errand.spi.contract.TaskStoreContract} covers the task, group and key roles,
 * {@link io.errand.spi.contract.ScheduleStoreContract} the schedule role (for a store whose
 * {@code schedules()} is present), and {@link io.errand.spi.contract.PayloadRoundTripContract}
 * that arguments and results (records, {@code java.time}, {@code Optional}, enums, nested lists)
 * come back as they went in. The memory, SQLite and PostgreSQL stores run all three.
 */
package io.errand.spi.contract;
