package io.errand.api;

import java.time.Instant;

/**
 * The latest task a schedule submitted.
 *
 * @param occurrence the occurrence it stands for (for a run-now, when it was asked)
 * @param taskId     the task
 * @param firedAt    when it was submitted
 * @param status     the task's status now, or null when the task is no longer kept (retention)
 */
public record ScheduleRun(Instant occurrence, long taskId, Instant firedAt, TaskStatus status) {}
