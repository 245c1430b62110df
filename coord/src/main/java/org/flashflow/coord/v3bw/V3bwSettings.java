package org.flashflow.coord.v3bw;

import java.time.Duration;
import java.util.Objects;

/**
 * What the bandwidth file needs from the configuration: the {@code [v3bw]} rules and the
 * measurement parameters it reports as {@code flashflow_*} header keys.
 *
 * @param maxResultsAge {@code [v3bw] max_results_age}
 * @param minimumPercentEligible {@code [v3bw] minimum_percent_eligible_relays}, 0 to 100; 0: off
 * @param minimumNumberEligible {@code [v3bw] minimum_number_eligible_relays}; 0: only the percent
 * @param bgPercent {@code [meas_params] bg_percent}
 * @param measDuration {@code [meas_params] meas_duration}, seconds
 * @param numCircs {@code [schedule] num_circs}
 * @param measurers the measurers configured in {@code [measurers]}; 0: none listed
 */
public record V3bwSettings(
    Duration maxResultsAge,
    int minimumPercentEligible,
    int minimumNumberEligible,
    double bgPercent,
    int measDuration,
    int numCircs,
    int measurers) {

  /** The configuration defaults. */
  public static final V3bwSettings DEFAULT =
      new V3bwSettings(Duration.ofDays(7), 0, 0, 0.25, 30, 160, 0);

  public V3bwSettings {
    Objects.requireNonNull(maxResultsAge, "maxResultsAge");
    if (minimumPercentEligible < 0 || minimumPercentEligible > 100) {
      throw new IllegalArgumentException(
          "minimum_percent_eligible_relays must be from 0 to 100: " + minimumPercentEligible);
    }
    if (minimumNumberEligible < 0) {
      throw new IllegalArgumentException(
          "negative minimum_number_eligible_relays: " + minimumNumberEligible);
    }
  }

  /** A copy with another {@code max_results_age}. */
  public V3bwSettings withMaxResultsAge(Duration age) {
    return new V3bwSettings(
        age,
        minimumPercentEligible,
        minimumNumberEligible,
        bgPercent,
        measDuration,
        numCircs,
        measurers);
  }

  /**
   * The fewest eligible relays for which the relays get a vote: the configured number, or {@code
   * minimum_percent_eligible_relays} of the consensus relays (rounded), whichever is larger.
   */
  public long minimumEligible(int consensusRelays) {
    long fromPercent = Math.round(consensusRelays * minimumPercentEligible / 100.0);
    return Math.max(minimumNumberEligible, fromPercent);
  }
}
