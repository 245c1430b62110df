package org.flashflow.testnet;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One emulated relay as configured in a {@code [relay NICK]} section.
 *
 * @param fingerprint 40 upper-case hex digits
 * @param capacity bytes per second the relay can forward, measurement and background together
 * @param background fraction of the capacity that emulated clients want (0 to 1)
 * @param advertisedAvg {@code advertised_avg}: the descriptor's {@code bandwidth-avg} in bytes/s;
 *     0: {@link #DEFAULT_ADVERTISED_FACTOR} times the capacity, generously above it
 */
public record RelaySpec(
    String nickname,
    String fingerprint,
    long capacity,
    double background,
    Behaviour behaviour,
    long advertisedAvg) {
  /** Without {@code advertised_avg}, the descriptor allows this many times the capacity. */
  public static final long DEFAULT_ADVERTISED_FACTOR = 10;

  private static final Pattern NICK = Pattern.compile("[A-Za-z0-9]{1,19}");
  private static final Pattern FP = Pattern.compile("[0-9A-F]{40}");

  public RelaySpec {
    Objects.requireNonNull(behaviour, "behaviour");
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
  }

  /** With the default (generous) descriptor bandwidth. */
  public RelaySpec(
      String nickname, String fingerprint, long capacity, double background, Behaviour behaviour) {
    this(nickname, fingerprint, capacity, background, behaviour, 0);
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

  /** Background bytes per second that emulated clients want from this relay. */
  public long backgroundRate() {
    return (long) (capacity * background);
  }
}
