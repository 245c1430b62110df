package org.flashflow.bench;

/**
 * Puts a {@link System#nanoTime} reading into a BwReport's {@code ts} (unix seconds, as the
 * protocol wants) and gets it back, so that the coordinator side can compute report-to-processed
 * latency for a report sent by a client in the same process. A double near 1.7e9 resolves about
 * 0.24 microseconds, far below what is measured.
 */
final class BenchClock {
  private final long nanoBase = System.nanoTime();
  private final double epochBase = System.currentTimeMillis() / 1000.0;

  /** The unix time, in seconds, of the nanoTime reading {@code nanos}. */
  double toTs(long nanos) {
    return epochBase + (nanos - nanoBase) / 1e9;
  }

  /** The nanoTime reading that {@link #toTs} turned into {@code ts}. */
  long toNanos(double ts) {
    return nanoBase + Math.round((ts - epochBase) * 1e9);
  }
}
