package org.flashflow.testnet.relay;

/**
 * A token bucket in bytes: fills at {@code rate} bytes per second up to {@code burst}, and every
 * byte forwarded takes one token. Time is passed in (nanoseconds, any origin), so it is tested in
 * virtual time. Tokens are kept in byte-nanoseconds per second, so no fraction of a byte is lost at
 * any refill granularity. Not thread-safe: owned by one event loop.
 */
public final class TokenBucket {
  private static final long NANOS = 1_000_000_000L;

  private final long rate;
  private final long burst;
  private final long maxScaled;
  private long scaled;
  private long last;

  /**
   * @param rate bytes per second, positive
   * @param burst bucket size in bytes, positive; the bucket starts full
   * @param now current time in nanoseconds
   */
  public TokenBucket(long rate, long burst, long now) {
    if (rate <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive: " + rate + ", " + burst);
    }
    if (burst > Long.MAX_VALUE / NANOS) {
      throw new IllegalArgumentException("burst too large: " + burst);
    }
    this.rate = rate;
    this.burst = burst;
    this.maxScaled = burst * NANOS;
    this.scaled = maxScaled;
    this.last = now;
  }

  public long rate() {
    return rate;
  }

  public long burst() {
    return burst;
  }

  /** Whole bytes available now. */
  public long available(long now) {
    refill(now);
    return scaled / NANOS;
  }

  /**
   * Takes as many whole multiples of {@code unit} bytes as are available, up to {@code max} units.
   *
   * @return the number of units taken
   */
  public long takeUnits(long max, int unit, long now) {
    refill(now);
    long units = Math.min(max, scaled / NANOS / unit);
    scaled -= units * unit * NANOS;
    return units;
  }

  /** Takes up to {@code bytes}; returns how many were taken. */
  public long take(long bytes, long now) {
    return takeUnits(bytes, 1, now);
  }

  /** Nanoseconds until {@code bytes} will be available (0 if they are). */
  public long nanosUntil(long bytes, long now) {
    refill(now);
    long need = Math.min(bytes, burst) * NANOS - scaled;
    return need <= 0 ? 0 : (need + rate - 1) / rate;
  }

  private void refill(long now) {
    long elapsed = now - last;
    if (elapsed <= 0) {
      return;
    }
    last = now;
    // Past the time to fill the bucket from empty, the bucket is simply full (and no overflow).
    if (elapsed >= maxScaled / rate) {
      scaled = maxScaled;
    } else {
      scaled = Math.min(maxScaled, scaled + elapsed * rate);
    }
  }
}
