/**
 * The store SPI: what a backend (memory, SQLite, PostgreSQL) implements so the engine can keep
 * tasks in it. Users only pick a store; they never call these methods.
 *
 * <p>The contract, pinned by the shared contract test suite every store runs: the engine
 * <em>claims</em> due work ({@link io.errand.spi.TaskStore#claim}); the store <em>signals</em>
 * new work and cancel requests ({@link io.errand.spi.StoreSignals}), whichever process caused
 * them; every change a worker makes to a running task names the attempt it belongs to, and a
 * store applies it only while the task is still RUNNING that attempt (fencing), so a late
 * writer can never overwrite a newer attempt.
 *
 * <p>Stores that keep JSON share three helpers: {@link io.errand.spi.PayloadLimit} (payloads
 * through the engine's codec, within a size limit), {@link io.errand.spi.StoredErrors} (a task's
 * errors as a JSON array) and {@link io.errand.spi.SignalQueue} (signals raised in order on a
 * thread of their own).
 */
package io.errand.spi;
