package org.flashflow.coord.v3bw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EligibilityTest {
  @Test
  void readsTheCountsFromTheHeaderOnly() {
    String file =
        "1600000000\nversion=1.5.0\nnumber_consensus_relays=10\nnumber_eligible_relays=5\n"
            + "minimum_number_eligible_relays=6\n=====\nnumber_eligible_relays=99\n";
    assertEquals(Optional.of(new Eligibility(5, 6, 10)), Eligibility.ofHeader(file));
    assertEquals(
        "does NOT vote: every relay has vote=0 until more are measured (5 of 10 consensus"
            + " relays eligible, minimum 6, [v3bw] minimum_percent_eligible_relays = 60)",
        new Eligibility(5, 6, 10).describe(60));
    assertEquals("votes (6 relays eligible, minimum 6)", new Eligibility(6, 6, 0).describe(60));
    assertEquals(Optional.empty(), Eligibility.ofHeader("1600000000\nversion=1.5.0\n=====\n"));
  }
}
