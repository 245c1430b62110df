package org.flashflow.bench.schedule;

import java.util.Random;

/**
 * A synthetic Tor-sized relay population (docs/benchmarks.md, "Schedule", explains the choice).
 *
 * <p>True capacities are log-normal with sigma = 1.5, clipped to 0.5 Mbit/s .. 1.5 Gbit/s and
 * scaled to the requested total: with 8,000 relays and 500 Gbit/s that is a median near 20 Mbit/s
 * and the fastest tenth of the relays holding about 55% of the capacity, the shape of Tor's
 * advertised-bandwidth distribution (many small relays, a heavy tail of fast ones).
 *
 * <p>Advertised bandwidth (what the descriptor says, the "advertised" prior): for honest relays
 * {@code true * f} with {@code f} uniform in [0.1, 0.9], because a relay advertises the most it
 * observed itself carry recently, which depends on how much load it got rather than on what it
 * could carry; on aggregate that is half the true capacity. A share of liars advertise {@code true
 * * g} with {@code g} uniform in [2, 10].
 */
final class SyntheticNetwork {
  static final double MBIT = 125_000;

  final double[] capacity;
  final long[] advertised;
  final boolean[] liar;

  private SyntheticNetwork(double[] capacity, long[] advertised, boolean[] liar) {
    this.capacity = capacity;
    this.advertised = advertised;
    this.liar = liar;
  }

  /**
   * Builds a network.
   *
   * @param total bytes/s all relays have together
   * @param liarShare fraction of relays that advertise more than they have
   */
  static SyntheticNetwork build(int relays, double total, double liarShare, long seed) {
    Random random = new Random(seed);
    double[] c = new double[relays];
    for (int i = 0; i < relays; i++) {
      c[i] = Math.exp(1.5 * random.nextGaussian());
    }
    double min = 0.5 * MBIT;
    double max = 1500 * MBIT;
    for (int round = 0; round < 50; round++) {
      double sum = 0;
      for (double v : c) {
        sum += v;
      }
      double scale = total / sum;
      boolean clipped = false;
      for (int i = 0; i < relays; i++) {
        double v = c[i] * scale;
        if (v > max || v < min) {
          clipped = true;
        }
        c[i] = Math.max(min, Math.min(max, v));
      }
      if (!clipped && Math.abs(scale - 1) < 1e-12) {
        break;
      }
    }
    long[] adv = new long[relays];
    boolean[] liar = new boolean[relays];
    for (int i = 0; i < relays; i++) {
      liar[i] = random.nextDouble() < liarShare;
      double f = liar[i] ? 2 + 8 * random.nextDouble() : 0.1 + 0.8 * random.nextDouble();
      adv[i] = Math.max(1, Math.round(c[i] * f));
    }
    return new SyntheticNetwork(c, adv, liar);
  }

  int size() {
    return capacity.length;
  }

  double total() {
    double sum = 0;
    for (double v : capacity) {
      sum += v;
    }
    return sum;
  }

  /** Share of the capacity held by the fastest {@code fraction} of relays. */
  double topShare(double fraction) {
    double[] sorted = capacity.clone();
    java.util.Arrays.sort(sorted);
    int k = (int) Math.round(fraction * sorted.length);
    double top = 0;
    for (int i = sorted.length - k; i < sorted.length; i++) {
      top += sorted[i];
    }
    return top / total();
  }

  double quantile(double q) {
    double[] sorted = capacity.clone();
    java.util.Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
  }

  double advertisedTotal() {
    double sum = 0;
    for (long v : advertised) {
      sum += v;
    }
    return sum;
  }
}
