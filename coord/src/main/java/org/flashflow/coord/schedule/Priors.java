package org.flashflow.coord.schedule;

import java.util.Arrays;
import java.util.Collection;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.flashflow.coord.schedule.ScheduleSettings.Prior;

/**
 * What the schedule expects a relay to carry, bytes/s: its latest estimate if it has one, else a
 * prior. The proposal's prior is the 75th percentile of the known estimates: deliberately high, so
 * that an unknown relay is unlikely to be measurer-limited, at the cost of wasting capacity on the
 * many small ones. The consensus bandwidth (normally the descriptor's advertised bandwidth, which
 * is what the relay observed itself carry) is a per-relay guess that is usually low, rarely high; a
 * low guess costs a re-measurement, a high one (a relay that lies) costs capacity once, until its
 * first estimate replaces the guess.
 */
public final class Priors {
  /** When nothing at all is known (no estimate, no consensus bandwidth): 10 Mbit/s. */
  public static final double FALLBACK = 1_250_000;

  private final Prior policy;
  private final double percentile75;

  private Priors(Prior policy, double percentile75) {
    this.policy = policy;
    this.percentile75 = percentile75;
  }

  /**
   * Priors for one schedule.
   *
   * @param estimates the estimates known (bytes/s); their 75th percentile is the fallback prior
   * @param advertised the consensus bandwidths of all relays (bytes/s), used for the percentile
   *     only when no relay has an estimate yet
   */
  public static Priors of(Prior policy, Collection<Double> estimates, Collection<Long> advertised) {
    double p75;
    if (!estimates.isEmpty()) {
      p75 = percentile75(estimates.stream().mapToDouble(Double::doubleValue).toArray());
    } else if (!advertised.isEmpty()) {
      p75 = percentile75(advertised.stream().mapToDouble(Long::doubleValue).toArray());
    } else {
      p75 = FALLBACK;
    }
    return new Priors(policy, Math.max(1, p75));
  }

  /** The expected bytes/s of a relay with this estimate and consensus bandwidth. */
  public double expected(OptionalDouble estimate, OptionalLong advertised) {
    if (estimate.isPresent()) {
      return estimate.getAsDouble();
    }
    if (policy == Prior.ADVERTISED && advertised.isPresent() && advertised.getAsLong() > 0) {
      return advertised.getAsLong();
    }
    return percentile75;
  }

  public double percentile75() {
    return percentile75;
  }

  /** Nearest-rank 75th percentile (the value at rank ceil(0.75 n) of the sorted values). */
  static double percentile75(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(0.75 * v.length);
    return v[Math.max(0, rank - 1)];
  }
}
