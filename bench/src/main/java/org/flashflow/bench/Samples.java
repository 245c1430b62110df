package org.flashflow.bench;

import java.util.Arrays;

/**
 * A growable array of nanosecond samples with exact percentiles (sorting a copy): a benchmark
 * window holds at most a few million samples, which is cheap enough and needs no histogram library.
 * Owned by one thread at a time.
 */
final class Samples {
  private long[] values = new long[1 << 16];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  /** A sorted copy, for {@link #percentile}. */
  long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }

  /** Nearest-rank percentile of an ascending array; NaN-free: 0 for no samples. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }
}
