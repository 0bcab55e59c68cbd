package io.errand.spi;

/** How the tasks of a group relate ({@link Groups#insert}). */
public enum GroupKind {
  /** Independent tasks, all due at once. */
  BATCH,
  /** Steps run one after the other: each but the first is held until its predecessor succeeded. */
  CHAIN
}
