package io.errand.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code schedules} block: read whole when right, refused with key and position when not. */
class ScheduleConfigTest {
  private static final String QUEUES = "queues: {reports: {handler: exec}}\n";

  @TempDir
  Path dir;

  private ServerConfig load(String yaml) throws IOException {
    Path file = dir.resolve("errand.yaml");
    Files.writeString(file, QUEUES + yaml);
    return new ConfigLoader(Map.of()).load(file);
  }

  private void refused(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage(dir.resolve("errand.yaml") + ": " + message);
  }

  @Test
  void everyKeyIsRead() throws IOException {
    ServerConfig c = load("""
        schedules:
          nightly:
            queue: reports
            spec: "30 2 * * *"
            zone: Europe/Berlin
            args: {format: pdf}
            missed: catch_up 6h
            overlap: queue_one
            jitter: 30s
            start: 2026-01-01T00:00:00Z
            end: 2027-01-01T00:00:00Z
          quarter:
            queue: reports
            spec: every 15m
        """);
    Schedule nightly = c.schedules().get("nightly").schedule();
    assertThat(nightly.spec().text()).isEqualTo("CRON_TZ=Europe/Berlin 30 2 * * *");
    assertThat(nightly.fixedArgs()).contains(Map.of("format", "pdf"));
    assertThat(nightly.missed()).isEqualTo(MissedRunPolicy.catchUp(Duration.ofHours(6)));
    assertThat(nightly.overlap()).isEqualTo(OverlapPolicy.QUEUE_ONE);
    assertThat(nightly.jitter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(nightly.start()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(nightly.end()).contains(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(c.schedules().get("nightly").path()).isEqualTo("schedules.nightly");
    assertThat(c.schedules().keySet()).containsExactly("nightly", "quarter");
  }

  @Test
  void aBadCronFieldIsRefusedWithItsPosition() {
    refused("schedules: {n: {queue: reports, spec: \"61 2 * * *\"}}",
        "schedules.n.spec: cron '61 2 * * *': minute field '61' is out of range 0-59 (column 1)");
  }

  @Test
  void aBadZoneIsRefusedAtItsKey() {
    refused("schedules: {n: {queue: reports, spec: \"0 2 * * *\", zone: Europe/Berln}}",
        "schedules.n.zone: zone 'Europe/Berln' is not a known time zone; use a region such as"
            + " Europe/Berlin or America/New_York, UTC, or an offset such as +05:30");
  }

  @Test
  void otherMistakesNameTheirKey() {
    refused("schedules: {n: {queue: report, spec: \"@hourly\"}}",
        "schedules.n.queue: names no queue: 'report' (did you mean 'reports'?); the queues are"
            + " reports");
    refused("schedules: {n: {queue: reports}}", "schedules.n.spec: is required: when it fires:"
        + " a cron expression (\"0 2 * * *\", \"@hourly\"), an interval (\"every 15m\") or a"
        + " one-off (\"at 2026-12-24T18:00:00Z\")");
    refused("schedules: {n: {queue: reports, spec: \"@hourly\", overlap: buffer_all}}",
        "schedules.n.overlap: overlap policy 'buffer_all' is not one of: skip, queue_one,"
            + " allow, cancel_previous");
    refused("schedules: {n: {queue: reports, spec: every 15m, zone: UTC}}",
        "schedules.n.zone: applies to cron specs only; 'every 15m' is not a cron expression");
    assertThatThrownBy(() -> load("schedules: {n: {queue: reports, spec: \"@hourly\", when: 1}}"))
        .hasMessageContaining("schedules.n.when: unknown key");
  }
}
