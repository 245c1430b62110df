package org.flashflow.coord.schedule;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.coord.core.CoordSettings;
import org.flashflow.coord.core.MeasurerLimit;

/**
 * The schedule's part of the configuration, validated once.
 *
 * @param multiplier measurer capacity per byte/s of expected relay capacity (proposal: 2.25)
 * @param numCircs circuits per measurement, split over its measurers
 * @param limitFraction a result at or above this fraction of the capacity given is measurer-limited
 * @param remeasure whether a measurer-limited relay is measured again in the same period with twice
 *     the capacity (false: the proposal's scheme, for comparison)
 * @param prior what a relay never measured is assumed to carry
 * @param maxAttempts starts of one relay that may fail (or find too little measurer capacity) in a
 *     period before it is given up until the next
 */
public record ScheduleSettings(
    Duration period,
    Duration slot,
    double multiplier,
    int numCircs,
    double limitFraction,
    boolean remeasure,
    Prior prior,
    int maxAttempts,
    Capacities capacities) {

  /** What the schedule assumes about a relay it has no estimate of. */
  public enum Prior {
    /** The proposal's rule: the 75th percentile of the relays with an estimate. */
    PERCENTILE_75,
    /**
     * The bandwidth the consensus lists for the relay (its descriptor's advertised bandwidth when
     * no bandwidth authority measured it), else the 75th percentile as above.
     */
    ADVERTISED
  }

  public static final double LIMIT_FRACTION = MeasurerLimit.FRACTION;
  public static final int MAX_ATTEMPTS = 4;

  /**
   * What an unset {@code [schedule] slot} adds to {@code meas_duration}: the time a measurement
   * holds its measurers before and after the active phase (circuits, the relay's answer, the
   * measurers' connections). docs/schedule.md: slots this long pack measurements back to back (1.19
   * times the lower bound in the benchmark, against 2.03 with the proposal's 60 s).
   */
  public static final Duration SETUP_ALLOWANCE = Duration.ofSeconds(5);

  /** The default {@code meas_duration} (docs/protocol.md section 9), for {@link #defaults}. */
  private static final Duration DEFAULT_MEAS_DURATION = Duration.ofSeconds(30);

  public ScheduleSettings {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(prior, "prior");
    Objects.requireNonNull(capacities, "capacities");
    new SlotClock(period, slot); // validates
    if (!(multiplier >= 1 && multiplier <= 100)) {
      throw new IllegalArgumentException("multiplier must be 1..100, not " + multiplier);
    }
    if (numCircs < 1) {
      throw new IllegalArgumentException("num_circs must be at least 1, not " + numCircs);
    }
    if (!(limitFraction > 0 && limitFraction <= 1)) {
      throw new IllegalArgumentException("limitFraction must be in (0, 1], not " + limitFraction);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
  }

  /**
   * Defaults (1 day, slot = the default meas_duration of 30 s + {@link #SETUP_ALLOWANCE} = 35 s,
   * 2.25, 160 circuits, re-measurement, advertised prior).
   */
  public static ScheduleSettings defaults(Capacities capacities) {
    return new ScheduleSettings(
        Duration.ofDays(1),
        defaultSlot(DEFAULT_MEAS_DURATION),
        2.25,
        160,
        LIMIT_FRACTION,
        true,
        Prior.ADVERTISED,
        MAX_ATTEMPTS,
        capacities);
  }

  /** The slot when {@code [schedule] slot} is unset: {@code measDuration + SETUP_ALLOWANCE}. */
  public static Duration defaultSlot(Duration measDuration) {
    return measDuration.plus(SETUP_ALLOWANCE);
  }

  /**
   * Reads {@code [schedule]} and {@code [measurers]}; an empty {@code slot} is {@link #defaultSlot}
   * of {@code [meas_params] meas_duration}.
   */
  public static ScheduleSettings from(Config c) throws ConfigException {
    Map<String, Long> configured = new TreeMap<>();
    for (String name : c.section("measurers").keySet()) {
      configured.put(name, c.byteRate("measurers", name));
    }
    String priorText = c.string("schedule", "new_relay_prior").strip();
    Prior prior =
        switch (priorText) {
          case "advertised" -> Prior.ADVERTISED;
          case "p75" -> Prior.PERCENTILE_75;
          default ->
              throw ConfigException.badValue(
                  "schedule", "new_relay_prior", priorText, "advertised or p75");
        };
    double multiplier = c.decimal("schedule", "multiplier");
    if (!(multiplier >= 1 && multiplier <= 100)) {
      throw ConfigException.badValue(
          "schedule", "multiplier", Double.toString(multiplier), "a number from 1 to 100");
    }
    Duration period = c.duration("schedule", "period");
    Optional<Duration> configuredSlot = c.optionalDuration("schedule", "slot");
    Duration slot =
        configuredSlot.isPresent()
            ? configuredSlot.get()
            : defaultSlot(
                Duration.ofSeconds(
                    c.integer("meas_params", "meas_duration", 1, CoordSettings.MAX_MEAS_DURATION)));
    if (slot.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(slot) < 0) {
      if (configuredSlot.isEmpty()) {
        throw ConfigException.badValue(
            "schedule",
            "period",
            c.string("schedule", "period"),
            "at least the slot (meas_duration + "
                + SETUP_ALLOWANCE.toSeconds()
                + " s = "
                + slot.toSeconds()
                + " s, as [schedule] slot is empty)");
      }
      throw ConfigException.badValue(
          "schedule", "slot", c.string("schedule", "slot"), "at least 1 s and at most the period");
    }
    return new ScheduleSettings(
        period,
        slot,
        multiplier,
        c.integer("schedule", "num_circs", 1, 100_000),
        LIMIT_FRACTION,
        true,
        prior,
        MAX_ATTEMPTS,
        new Capacities(configured, c.byteRate("schedule", "default_measurer_capacity")));
  }

  public SlotClock clock() {
    return new SlotClock(period, slot);
  }
}
