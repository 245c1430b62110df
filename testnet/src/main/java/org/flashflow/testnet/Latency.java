package org.flashflow.testnet;

import java.time.Duration;
import java.util.Objects;

/**
 * The round trip between a host and the middle of the emulated network ({@code rtt} and {@code
 * jitter} of a {@code [relay NICK]} or {@code [measurer NAME]} section). A measurer-relay path has
 * the sum of both ends: its round trip varies uniformly within {@code rtt +- jitter}.
 *
 * @param rtt mean round-trip time, zero or positive
 * @param jitter how far a round trip strays from {@code rtt}, either way; at most {@code rtt}
 */
public record Latency(Duration rtt, Duration jitter) {
  /** Loopback: no delay at all. */
  public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

  public Latency {
    Objects.requireNonNull(rtt, "rtt");
    Objects.requireNonNull(jitter, "jitter");
    if (rtt.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("rtt and jitter must not be negative: " + rtt + jitter);
    }
    if (jitter.compareTo(rtt) > 0) {
      throw new IllegalArgumentException(
          "jitter must not exceed rtt (a delay cannot go below zero): " + jitter + " > " + rtt);
    }
  }

  /** {@code rtt} milliseconds without jitter. */
  public static Latency ofMillis(long rtt) {
    return new Latency(Duration.ofMillis(rtt), Duration.ZERO);
  }

  /** The path through both hosts: round trips and jitters add up. */
  public Latency plus(Latency other) {
    return new Latency(rtt.plus(other.rtt), jitter.plus(other.jitter));
  }

  public boolean isZero() {
    return rtt.isZero() && jitter.isZero();
  }
}
