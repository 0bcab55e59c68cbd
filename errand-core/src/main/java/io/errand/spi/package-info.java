/**
 * The store SPI: what a backend (memory, SQLite, PostgreSQL) implements so the engine can keep
 * tasks in it. Users only pick a store; they never call these methods.
 *
 * <p>A store ({@link io.errand.spi.TaskStore}) hands out one small interface per role:
 * {@link io.errand.spi.Tasks}, {@link io.errand.spi.Groups} and
 * {@link io.errand.spi.SupervisedKeys}. Answers are sealed types rather than nulls and flags
 * ({@link io.errand.spi.Claim}, {@link io.errand.spi.Change}, {@link io.errand.spi.CancelAnswer},
 * {@link io.errand.spi.Inserted}), and every status change is one of
 * {@link io.errand.spi.Transition}'s checked moves.
 *
 * <p>The contract, pinned by the shared contract test suite every store runs: the engine
 * <em>claims</em> due work ({@link io.errand.spi.Tasks#claim}); the store <em>signals</em>
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
