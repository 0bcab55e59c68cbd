package io.errand.spi.contract;

/** A small record, used as task arguments and results to check that both round-trip. */
public record Point(int x, int y) {}
