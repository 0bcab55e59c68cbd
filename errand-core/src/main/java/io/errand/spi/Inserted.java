package io.errand.spi;

/**
 * The answer to an insert.
 *
 * @param id      the new task's id, or the id of the live task that already had the key
 * @param created false when the key matched a live task and nothing was inserted
 */
public record Inserted(long id, boolean created) {}
