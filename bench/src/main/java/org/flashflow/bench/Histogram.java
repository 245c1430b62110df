package org.flashflow.bench;

import java.util.Arrays;

/**
 * Latencies in 1-microsecond buckets up to 1 s, plus the exact maximum; recording allocates
 * nothing, so the harness adds no garbage (and so no GC pauses) of its own to what it measures.
 * Owned by one thread at a time.
 */
final class Histogram {
  private static final int BUCKETS = 1_000_000;

  private final int[] counts = new int[BUCKETS];
  private long total;
  private long max;

  void add(long nanos) {
    long us = Math.max(0, nanos) / 1000;
    counts[(int) Math.min(BUCKETS - 1, us)]++;
    total++;
    max = Math.max(max, nanos);
  }

  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
    max = 0;
  }

  long count() {
    return total;
  }

  long maxNanos() {
    return max;
  }

  /**
   * Nearest-rank percentile, in nanoseconds, to the microsecond (the upper edge of its bucket); 0
   * for no samples. A value beyond the last bucket reads as the maximum.
   */
  long percentileNanos(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS - 1; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, (i + 1) * 1000L);
      }
    }
    return max;
  }

  /** An independent copy, to read off the loop. */
  Histogram copy() {
    Histogram h = new Histogram();
    System.arraycopy(counts, 0, h.counts, 0, BUCKETS);
    h.total = total;
    h.max = max;
    return h;
  }
}
