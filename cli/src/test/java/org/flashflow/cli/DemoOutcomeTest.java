package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRecord.Failed;
import org.flashflow.coord.core.MeasurementRecord.Second;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.Test;

/** The demo's verdicts and table: what counts as the expected outcome for each behaviour. */
class DemoOutcomeTest {
  private static final double R = 0.25;
  private static final DemoRelay HONEST = new DemoRelay("relay3", 10, 0, Behaviour.HONEST);
  private static final DemoRelay LIAR = new DemoRelay("relay5", 35, 0.1, Behaviour.LIES);
  private static final DemoRelay REFUSER = new DemoRelay("relay7", 75, 0.05, Behaviour.REFUSES);

  @Test
  void honestWithinTenPercent() {
    long c = HONEST.capacity();
    assertTrue(completed(HONEST, c * 109 / 100).asExpected(R));
    assertTrue(completed(HONEST, c * 91 / 100).asExpected(R));
    assertFalse(completed(HONEST, c * 111 / 100).asExpected(R));
    assertFalse(completed(HONEST, c * 89 / 100).asExpected(R));
    assertFalse(failed(HONEST, FailReason.TIMEOUT).asExpected(R));
  }

  @Test
  void liarCappedAtOneOverOneMinusRPlusTwoPercent() {
    long c = LIAR.capacity();
    assertTrue(completed(LIAR, c * 4 / 3).asExpected(R));
    assertTrue(completed(LIAR, c * 135 / 100).asExpected(R));
    assertFalse(completed(LIAR, c * 136 / 100).asExpected(R));
    assertFalse(failed(LIAR, FailReason.RELAY_REFUSED).asExpected(R));
  }

  @Test
  void refuserMustFailAsRefused() {
    assertTrue(failed(REFUSER, FailReason.RELAY_REFUSED).asExpected(R));
    assertFalse(failed(REFUSER, FailReason.CIRC_FAILED).asExpected(R));
    assertFalse(completed(REFUSER, REFUSER.capacity()).asExpected(R));
    assertFalse(DemoOutcome.problem(REFUSER, "no record").asExpected(R));
  }

  @Test
  void tableShowsEstimateErrorOutcomeAndVerdict() {
    List<String> lines =
        DemoOutcome.table(
            List.of(
                completed(HONEST, HONEST.capacity()),
                completed(LIAR, LIAR.capacity() * 2),
                failed(REFUSER, FailReason.RELAY_REFUSED)),
            R);
    assertEquals(
        List.of(
            "relay    behaviour true Mbit/s estimate Mbit/s   error  outcome              expected",
            "relay3   honest          10.00           10.00   +0.0%  ok                   within"
                + " 10%: yes",
            "relay5   lies            35.00           70.00 +100.0%  ok                   at most"
                + " 1.35x: NO",
            "relay7   refuses         75.00               -       -  FAIL RELAY_REFUSED   FAIL"
                + " RELAY_REFUSED: yes",
            "1 of 3 relays did NOT end as expected (marked NO)."),
        lines);
  }

  @Test
  void testnetSectionIsValidConfig() {
    assertEquals(
        "[relay relay5]\ncapacity = 35 Mbit/s\nbackground = 0.1\nbehaviour = lies\n",
        LIAR.testnetSection().replace(System.lineSeparator(), "\n"));
  }

  /** A completed measurement whose every second totals {@code bytes}. */
  private static DemoOutcome completed(DemoRelay relay, long bytes) {
    return DemoOutcome.of(
        relay,
        new MeasurementRecord(
            1, "A".repeat(40), 0, List.of(new Second(List.of(bytes), 0, 0)), Optional.empty()));
  }

  private static DemoOutcome failed(DemoRelay relay, FailReason reason) {
    return DemoOutcome.of(
        relay,
        new MeasurementRecord(
            1, "A".repeat(40), 0, List.of(), Optional.of(new Failed(reason, "detail"))));
  }
}
