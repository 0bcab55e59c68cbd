package io.errand.spi;

/** The answer to {@link Tasks#progress}. */
public enum ProgressAnswer {
  /** The running attempt's progress was recorded. */
  RECORDED,
  /** The task was not RUNNING that attempt (or does not exist): nothing was recorded. */
  FENCED_OUT
}
