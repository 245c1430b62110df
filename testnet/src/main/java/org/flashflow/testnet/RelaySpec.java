package org.flashflow.testnet;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One emulated relay as configured in a {@code [relay NICK]} section.
 *
 * @param fingerprint 40 upper-case hex digits
 * @param capacity bytes per second the relay can forward, measurement and background together
 * @param background fraction of the capacity that emulated clients want on average (0 to 1)
 * @param advertisedAvg {@code advertised_avg}: the descriptor's {@code bandwidth-avg} in bytes/s;
 *     0: {@link #DEFAULT_ADVERTISED_FACTOR} times the capacity, generously above it
 * @param latency {@code rtt} and {@code jitter}: this relay's share of every path's round trip
 * @param backgroundSd {@code background_sd}: standard deviation of the clients' demand, as a
 *     fraction of the capacity; 0 for a steady background, else on/off bursts ({@link
 *     org.flashflow.testnet.relay.OnOffLoad})
 * @param backgroundPeriod {@code background_period}: mean length of one on and one off period
 * @param cpuCells {@code cpu}: cells per second the relay's CPU can process (echoed measurement
 *     cells and background together); 0 for no limit
 */
public record RelaySpec(
    String nickname,
    String fingerprint,
    long capacity,
    double background,
    Behaviour behaviour,
    long advertisedAvg,
    Latency latency,
    double backgroundSd,
    Duration backgroundPeriod,
    long cpuCells) {
  /** Without {@code advertised_avg}, the descriptor allows this many times the capacity. */
  public static final long DEFAULT_ADVERTISED_FACTOR = 10;

  /** Without {@code background_period}: bursts and pauses of about a second each. */
  public static final Duration DEFAULT_BACKGROUND_PERIOD = Duration.ofSeconds(2);

  private static final Pattern NICK = Pattern.compile("[A-Za-z0-9]{1,19}");
  private static final Pattern FP = Pattern.compile("[0-9A-F]{40}");

  public RelaySpec {
    Objects.requireNonNull(behaviour, "behaviour");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(backgroundPeriod, "backgroundPeriod");
    if (!NICK.matcher(nickname).matches()) {
      throw new IllegalArgumentException(
          "relay nickname must be 1 to 19 letters or digits, as in tor: " + nickname);
    }
    if (!FP.matcher(fingerprint).matches()) {
      throw new IllegalArgumentException("not 40 upper-case hex digits: " + fingerprint);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    if (!(background >= 0 && background <= 1)) {
      throw new IllegalArgumentException("background must be from 0 to 1: " + background);
    }
    if (advertisedAvg < 0) {
      throw new IllegalArgumentException("advertised_avg must not be negative: " + advertisedAvg);
    }
    if (!(backgroundSd >= 0 && backgroundSd <= 10)) {
      throw new IllegalArgumentException("background_sd must be from 0 to 10: " + backgroundSd);
    }
    if (backgroundSd > 0 && background == 0) {
      throw new IllegalArgumentException("background_sd needs a background above 0");
    }
    if (backgroundPeriod.isZero() || backgroundPeriod.isNegative()) {
      throw new IllegalArgumentException("background_period must be positive: " + backgroundPeriod);
    }
    if (cpuCells < 0) {
      throw new IllegalArgumentException("cpu must not be negative: " + cpuCells);
    }
  }

  /** Loopback, steady background, no CPU limit. */
  public RelaySpec(
      String nickname,
      String fingerprint,
      long capacity,
      double background,
      Behaviour behaviour,
      long advertisedAvg) {
    this(
        nickname,
        fingerprint,
        capacity,
        background,
        behaviour,
        advertisedAvg,
        Latency.NONE,
        0,
        DEFAULT_BACKGROUND_PERIOD,
        0);
  }

  /** With the default (generous) descriptor bandwidth. */
  public RelaySpec(
      String nickname, String fingerprint, long capacity, double background, Behaviour behaviour) {
    this(nickname, fingerprint, capacity, background, behaviour, 0);
  }

  /** This relay with another round trip. */
  public RelaySpec withLatency(Latency l) {
    return new RelaySpec(
        nickname,
        fingerprint,
        capacity,
        background,
        behaviour,
        advertisedAvg,
        l,
        backgroundSd,
        backgroundPeriod,
        cpuCells);
  }

  /** This relay with bursty background: {@code sd} of the capacity, on+off {@code period}. */
  public RelaySpec withBursts(double sd, Duration period) {
    return new RelaySpec(
        nickname,
        fingerprint,
        capacity,
        background,
        behaviour,
        advertisedAvg,
        latency,
        sd,
        period,
        cpuCells);
  }

  /** This relay with a CPU that processes at most {@code cells} cells per second (0: no limit). */
  public RelaySpec withCpu(long cells) {
    return new RelaySpec(
        nickname,
        fingerprint,
        capacity,
        background,
        behaviour,
        advertisedAvg,
        latency,
        backgroundSd,
        backgroundPeriod,
        cells);
  }

  /**
   * What the relay can really forward, bytes/s: its capacity, or less when its CPU runs out first.
   * This is the truth a measurement should find.
   */
  public long effectiveCapacity() {
    if (cpuCells == 0 || cpuCells > Long.MAX_VALUE / Cells.SIZE) {
      return capacity;
    }
    return Math.min(capacity, cpuCells * Cells.SIZE);
  }

  /** The descriptor's {@code bandwidth-avg}: {@code advertised_avg}, or 10 times the capacity. */
  public long descriptorAvg() {
    if (advertisedAvg > 0) {
      return advertisedAvg;
    }
    return capacity > Long.MAX_VALUE / DEFAULT_ADVERTISED_FACTOR
        ? Long.MAX_VALUE
        : capacity * DEFAULT_ADVERTISED_FACTOR;
  }

  /** Background bytes per second that emulated clients want from this relay, on average. */
  public long backgroundRate() {
    return (long) (capacity * background);
  }

  /** Standard deviation of the clients' demand, bytes per second. */
  public long backgroundSdRate() {
    return (long) (capacity * backgroundSd);
  }
}
