package io.errand.spi.contract;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The argument and result types of {@link PayloadRoundTripContract}. */
public final class Payloads {
  private Payloads() {}

  /** An enum, written by name. */
  public enum Urgency { LOW, HIGH }

  /** A nested record holding a list. */
  public record Address(String street, List<String> lines) {}

  /** Arguments with every kind of value the contract checks. */
  public record Order(String id, Instant placedAt, Optional<String> note, Urgency urgency,
      List<List<Integer>> grid, List<Address> addresses, LocalDate due, Duration window,
      OffsetDateTime local, Map<String, Instant> milestones) {}

  /** A result with the same kinds of values. */
  public record Receipt(String orderId, Instant at, Optional<Integer> retries,
      List<Urgency> seen, Address shippedTo) {}

  /** A value Jackson cannot write by default: no properties, no serializer. */
  public static final class Opaque {
    @Override
    public String toString() {
      return "Opaque";
    }
  }

  /** Holds anything; the contract puts an {@link Opaque} in one of them. */
  public record Holder(String name, Object payload) {}

  /** Arguments whose second holder cannot be written: the path is {@code holders[1].payload}. */
  public record Envelope(List<Holder> holders) {}
}
