package org.flashflow.coord.v3bw;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a bandwidth file votes: sbws's rule, as its header states it. With fewer eligible relays
 * than the minimum ({@code [v3bw] minimum_*_eligible_relays}) every relay line has {@code vote=0},
 * so the authority's tor ignores the file until more of the network is measured.
 *
 * @param eligible relays in the consensus with a usable result
 * @param minimum the fewest eligible relays for a vote
 * @param consensus relays in the consensus; 0 when it was not known
 */
public record Eligibility(long eligible, long minimum, long consensus) {
  public boolean votes() {
    return eligible >= minimum;
  }

  /** Read back from a rendered file's header; empty if the header lacks the counts. */
  static Optional<Eligibility> ofHeader(String content) {
    Map<String, String> kv = new HashMap<>();
    for (String line : content.split("\n", -1)) {
      if (line.startsWith("=====")) {
        break;
      }
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    try {
      return Optional.of(
          new Eligibility(
              Long.parseLong(kv.get("number_eligible_relays")),
              Long.parseLong(kv.get("minimum_number_eligible_relays")),
              Long.parseLong(kv.getOrDefault("number_consensus_relays", "0"))));
    } catch (NumberFormatException e) { // also for a missing key (parseLong(null))
      return Optional.empty();
    }
  }

  /** For the log line of a file and {@code status}. */
  public String describe(int minimumPercent) {
    String counts =
        eligible
            + (consensus > 0 ? " of " + consensus + " consensus relays" : " relays")
            + " eligible, minimum "
            + minimum;
    if (votes()) {
      return "votes (" + counts + ")";
    }
    return "does NOT vote: every relay has vote=0 until more are measured ("
        + counts
        + ", [v3bw] minimum_percent_eligible_relays = "
        + minimumPercent
        + ")";
  }
}
