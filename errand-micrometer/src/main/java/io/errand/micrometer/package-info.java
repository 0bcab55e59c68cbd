/**
 * Errand's figures in Micrometer: {@link io.errand.micrometer.ErrandMetrics} binds an
 * {@link io.errand.api.Errand}'s per-queue gauges, counters and timers to any
 * {@link io.micrometer.core.instrument.MeterRegistry}.
 */
package io.errand.micrometer;
