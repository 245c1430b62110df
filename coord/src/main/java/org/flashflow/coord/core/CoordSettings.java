package org.flashflow.coord.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The coordinator core's part of the configuration ({@code [meas_params]}, and {@code [schedule]
 * num_circs}), checked once at startup so that the core never meets a nonsensical value.
 *
 * @param measDuration seconds of active measurement ({@code meas_duration}, default 30)
 * @param bgPercent the fraction r of traffic the relay may spend on background ({@code bg_percent},
 *     default 0.25)
 * @param numCircs circuits per measurement, split across measurers ({@code num_circs}, default 160)
 * @param setupTimeout from start until the relay accepted, and again from ConnectToRelay until
 *     every measurer answered ({@code setup_timeout}, default 30 s); a measurer that did not is
 *     disconnected
 * @param reportTimeout the longest silence of one report source in the active phase ({@code
 *     report_timeout}, default 5 s)
 * @param activeTimeout from the start of the active phase until the last report ({@code
 *     active_timeout}, default measDuration + 15 s)
 */
public record CoordSettings(
    int measDuration,
    double bgPercent,
    int numCircs,
    Duration setupTimeout,
    Duration reportTimeout,
    Duration activeTimeout) {

  /** Longer than any sensible measurement; the relay aborts after 45 s by default anyway. */
  public static final int MAX_MEAS_DURATION = 3600;

  public static final int DEFAULT_MEAS_DURATION = 30;
  public static final double DEFAULT_BG_PERCENT = 0.25;
  public static final int DEFAULT_NUM_CIRCS = 160;
  public static final Duration DEFAULT_SETUP_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REPORT_TIMEOUT = Duration.ofSeconds(5);

  /** What the relay is given beyond {@code measDuration} before the active deadline fires. */
  public static final Duration ACTIVE_TIMEOUT_SLACK = Duration.ofSeconds(15);

  public CoordSettings {
    if (measDuration < 1 || measDuration > MAX_MEAS_DURATION) {
      throw new IllegalArgumentException(
          "meas_duration must be 1.." + MAX_MEAS_DURATION + " seconds, not " + measDuration);
    }
    if (!(bgPercent >= 0 && bgPercent < 1)) {
      throw new IllegalArgumentException(
          "bg_percent must be at least 0 and below 1, not " + bgPercent);
    }
    if (numCircs < 1) {
      throw new IllegalArgumentException("num_circs must be at least 1, not " + numCircs);
    }
    requirePositive("setup_timeout", setupTimeout);
    requirePositive("report_timeout", reportTimeout);
    requirePositive("active_timeout", activeTimeout);
    if (activeTimeout.compareTo(Duration.ofSeconds(measDuration)) <= 0) {
      throw new IllegalArgumentException(
          "active_timeout ("
              + activeTimeout.toSeconds()
              + " s) must be longer than meas_duration ("
              + measDuration
              + " s)");
    }
  }

  /** The given duration and background share, everything else at its default. */
  public static CoordSettings of(int measDuration, double bgPercent) {
    return new CoordSettings(
        measDuration,
        bgPercent,
        DEFAULT_NUM_CIRCS,
        DEFAULT_SETUP_TIMEOUT,
        DEFAULT_REPORT_TIMEOUT,
        Duration.ofSeconds(measDuration).plus(ACTIVE_TIMEOUT_SLACK));
  }

  /** docs/protocol.md section 9's defaults. */
  public static CoordSettings defaults() {
    return of(DEFAULT_MEAS_DURATION, DEFAULT_BG_PERCENT);
  }

  private static void requirePositive(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, not " + d);
    }
  }
}
