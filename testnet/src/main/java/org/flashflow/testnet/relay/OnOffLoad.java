package org.flashflow.testnet.relay;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What a relay's emulated clients want to send: a steady rate, or on/off bursts. In bursts, the
 * clients want a peak rate while on and nothing while off; on and off periods are exponentially
 * distributed, together {@code period} long on average. Peak and share of time on are chosen so
 * that the demand has the configured mean and standard deviation: with mean m and deviation s, the
 * peak is {@code m + s^2/m} and the clients are on {@code m^2 / (m^2 + s^2)} of the time. Time is
 * passed in (nanoseconds), so it is tested in virtual time. Not thread-safe.
 */
public final class OnOffLoad {
  private static final double NANOS = 1e9;

  private final double peak;
  private final double meanOn;
  private final double meanOff;
  private final RandomGenerator random;
  private final boolean steady;
  private boolean on;
  private long switchAt;
  private long last;
  private double owed;

  /**
   * @param mean bytes per second the clients want on average, at least 0
   * @param sd standard deviation of that demand, bytes per second; 0 for a steady load
   * @param period mean length of one on period and one off period together
   * @param now current time, nanoseconds
   */
  public OnOffLoad(long mean, long sd, Duration period, RandomGenerator random, long now) {
    if (mean < 0 || sd < 0 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("bad load: mean " + mean + ", sd " + sd + ", " + period);
    }
    this.random = random;
    this.last = now;
    this.steady = sd == 0 || mean == 0;
    if (steady) {
      peak = mean;
      meanOn = 0;
      meanOff = 0;
      on = true;
      return;
    }
    double m = mean;
    double s = sd;
    peak = m + s * s / m;
    double q = m / peak;
    meanOn = q * period.toNanos();
    meanOff = (1 - q) * period.toNanos();
    // Exponential periods are memoryless: starting on with probability q is the steady state.
    on = random.nextDouble() < q;
    switchAt = now + draw(on ? meanOn : meanOff);
  }

  /** Bytes per second the clients want while on (the mean, for a steady load). */
  public long peakRate() {
    return (long) Math.ceil(peak);
  }

  /** Whether the clients want to send right now (always, for a steady load). */
  public boolean isOn() {
    return on;
  }

  /** Bytes the clients wanted since the previous call (or since construction). */
  public long demand(long now) {
    if (now - last <= 0) {
      return 0;
    }
    if (steady) {
      owed += peak * (now - last) / NANOS;
    } else {
      long t = last;
      while (switchAt - now <= 0) {
        if (on) {
          owed += peak * (switchAt - t) / NANOS;
        }
        t = switchAt;
        on = !on;
        switchAt = t + draw(on ? meanOn : meanOff);
      }
      if (on) {
        owed += peak * (now - t) / NANOS;
      }
    }
    last = now;
    long whole = (long) owed;
    owed -= whole;
    return whole;
  }

  private long draw(double mean) {
    // At least 1 ns, so that time always moves on.
    return Math.max(1, Math.round(-mean * Math.log(1 - random.nextDouble())));
  }
}
