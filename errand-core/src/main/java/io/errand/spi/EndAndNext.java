package io.errand.spi;

/**
 * The answer to {@link TaskStore#finishAndClaim}.
 *
 * @param ended the task after its end, or null if the attempt was fenced out (as
 *              {@link TaskStore#finish} answers)
 * @param next  the task claimed next, or null if none was due (as {@link TaskStore#claim}
 *              answers)
 */
public record EndAndNext(TaskRecord ended, TaskRecord next) {}
