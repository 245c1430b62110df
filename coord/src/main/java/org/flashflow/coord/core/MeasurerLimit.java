package org.flashflow.coord.core;

import java.util.List;

/**
 * When a result is measurer-limited (docs/schedule.md): its measurement traffic reached at least
 * {@link #FRACTION} of the measurer capacity given to it, so the relay may be faster and the result
 * is only a lower bound. The one place of the rule: the schedule's {@code Outcome} and {@code
 * Planner} use it to re-measure, the results side to choose the result a bandwidth file uses.
 *
 * <p>The comparison uses the measurement traffic ({@link #measured}), not the estimate: the
 * estimate adds background traffic, up to {@code 1/(1-r)} more, which the measurers never had to
 * carry, so it would flag relays that were not limited.
 */
public final class MeasurerLimit {
  /** A result at or above this fraction of the capacity given is measurer-limited. */
  public static final double FRACTION = 0.9;

  private MeasurerLimit() {}

  /**
   * The measurement traffic alone, bytes/s: the median over the seconds of the measurers' summed
   * {@code recv} (even count: the mean of the middle two).
   *
   * @throws IllegalArgumentException if there are no seconds
   */
  public static double measured(List<MeasurementRecord.Second> seconds) {
    int n = seconds.size();
    if (n == 0) {
      throw new IllegalArgumentException("no seconds to measure from");
    }
    long[] sums = new long[n];
    for (int i = 0; i < n; i++) {
      sums[i] = Estimate.measured(seconds.get(i).measurerRecv());
    }
    return Estimate.median(sums);
  }

  /** Whether {@code measured} bytes/s reached {@code fraction} of {@code given} bytes/s. */
  public static boolean limited(double measured, long given, double fraction) {
    return measured >= fraction * given;
  }

  /** As {@link #limited(double, long, double)} with {@link #FRACTION}. */
  public static boolean limited(double measured, long given) {
    return limited(measured, given, FRACTION);
  }

  /**
   * Whether {@code record} is a completed, measurer-limited result. A record without a given
   * capacity (a manual {@code measure}: the measurers went as fast as they could) or without
   * seconds never is.
   */
  public static boolean limited(MeasurementRecord record) {
    return record.completed()
        && !record.seconds().isEmpty()
        && record.givenBw().isPresent()
        && limited(measured(record.seconds()), record.givenBw().getAsLong());
  }
}
