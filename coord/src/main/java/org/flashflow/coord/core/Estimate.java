package org.flashflow.coord.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * The estimate of docs/protocol.md section 5: per second, what the measurers received plus as much
 * of the relay's claimed background traffic as we are willing to believe; then the median over the
 * seconds. Capping the claim at {@code r / (1 - r)} of the measured traffic is what limits a lying
 * relay's gain to a factor {@code 1 / (1 - r)}.
 */
public final class Estimate {
  private Estimate() {}

  /**
   * {@code floor(r * measured / (1 - r))}, computed exactly in decimal.
   *
   * <p>{@code r} comes from a decimal config value such as {@code 0.25}; {@link
   * BigDecimal#valueOf(double)} recovers that decimal from the double's shortest representation, so
   * the quotient is the one an operator computes by hand. Plain double arithmetic would give e.g.
   * {@code 0.1 * 9 / 0.9 = 0.9999999999999999}, floored to 0 instead of 1.
   *
   * @param measured bytes the measurers received in one second; negative counts as 0
   * @param r the background fraction, {@code 0 <= r < 1}
   */
  public static long maxBg(long measured, double r) {
    checkFraction(r);
    if (measured <= 0 || r == 0) {
      return 0;
    }
    BigDecimal fraction = BigDecimal.valueOf(r);
    BigDecimal numerator = fraction.multiply(BigDecimal.valueOf(measured));
    BigDecimal quotient =
        numerator.divide(BigDecimal.ONE.subtract(fraction), 0, RoundingMode.FLOOR);
    return quotient.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
  }

  /** {@code measured + min(claimed, maxBg)}: one second's total, saturating instead of wrapping. */
  public static long total(long measured, long claimedBg, long maxBg) {
    long believed = Math.max(0, Math.min(claimedBg, maxBg));
    return saturatedAdd(Math.max(0, measured), believed);
  }

  /** One second's total from its results-log form. */
  public static long total(MeasurementRecord.Second second) {
    return total(measured(second.measurerRecv()), second.claimedBg(), second.maxBg());
  }

  /** The sum of the measurers' {@code recv} for one second, saturating instead of wrapping. */
  public static long measured(List<Long> measurerRecv) {
    long sum = 0;
    for (long recv : measurerRecv) {
      sum = saturatedAdd(sum, Math.max(0, recv));
    }
    return sum;
  }

  /**
   * Builds one second of a measurement from the raw reports, as the coordinator holds them.
   *
   * @param measurerRecv each assigned measurer's {@code recv} for this second
   * @param bgSent the relay's reported background {@code SENT}
   * @param bgRecv the relay's reported background {@code RECV}
   * @param r {@code [meas_params] bg_percent}
   */
  public static MeasurementRecord.Second second(
      List<Long> measurerRecv, long bgSent, long bgRecv, double r) {
    long claimed = Math.max(0, Math.min(bgSent, bgRecv));
    return new MeasurementRecord.Second(measurerRecv, claimed, maxBg(measured(measurerRecv), r));
  }

  /**
   * The measurement's estimate in bytes per second: the median of the per-second totals; with an
   * even count, the mean of the middle two (so it may end in .5; the v3bw writer rounds).
   *
   * @throws IllegalArgumentException if the record has no seconds (nothing to estimate)
   */
  public static double estimate(MeasurementRecord record) {
    return estimate(record.seconds());
  }

  /** As {@link #estimate(MeasurementRecord)}, for the seconds alone. */
  public static double estimate(List<MeasurementRecord.Second> seconds) {
    int n = seconds.size();
    if (n == 0) {
      throw new IllegalArgumentException("no seconds to estimate from");
    }
    long[] totals = new long[n];
    for (int i = 0; i < n; i++) {
      totals[i] = total(seconds.get(i));
    }
    return median(totals);
  }

  /** The median of {@code values} (sorted in place); even count: the mean of the middle two. */
  public static double median(long[] values) {
    Arrays.sort(values);
    int mid = values.length / 2;
    if (values.length % 2 == 1) {
      return values[mid];
    }
    // Halve before adding: two totals near Long.MAX_VALUE must not overflow.
    return values[mid - 1] / 2.0 + values[mid] / 2.0;
  }

  static void checkFraction(double r) {
    if (!(r >= 0 && r < 1)) {
      throw new IllegalArgumentException("background fraction must be in [0, 1), got " + r);
    }
  }

  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
