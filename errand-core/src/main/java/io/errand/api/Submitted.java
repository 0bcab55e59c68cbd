package io.errand.api;

/**
 * The answer of {@link Errand#submitOrFind}: the task's id, and whether this call added it.
 *
 * @param id      the task's id
 * @param created true if this call added the task; false if a live task of the queue already
 *                held the submit's key, whose id this is (nothing was added)
 */
public record Submitted(long id, boolean created) {}
