/**
 * What the SQL stores (SQLite, PostgreSQL) share, written once: the mapping of a task's row to
 * its record ({@link io.errand.jdbc.StoredTask}), the reads both run the same way
 * ({@link io.errand.jdbc.TaskQueries}) and their paging ({@link io.errand.jdbc.Paging}), the
 * payload checks ({@link io.errand.jdbc.Payloads}, {@link io.errand.jdbc.EncodedEnd},
 * {@link io.errand.jdbc.UnreadableArgs}) and the open state ({@link io.errand.jdbc.OpenState}).
 * What differs between the databases is one small {@link io.errand.jdbc.Dialect} per store;
 * the SQL only one store runs (SQLite's single writer, PostgreSQL's claims, NOTIFY and leases)
 * stays in that store. Users never call this package.
 */
package io.errand.jdbc;
