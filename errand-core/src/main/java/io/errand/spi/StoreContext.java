package io.errand.spi;

import java.time.InstantSource;

/**
 * What the engine gives a store when it opens it.
 *
 * @param clock   the time source of every timestamp
 * @param signals where to report new work and cancel requests
 * @param codec   JSON for stores that keep bytes
 * @param node    this process's node name, recorded on the tasks it claims
 */
public record StoreContext(InstantSource clock, StoreSignals signals, PayloadCodec codec,
    String node) {}
