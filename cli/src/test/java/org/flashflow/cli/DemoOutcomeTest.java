package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRecord.Failed;
import org.flashflow.coord.core.MeasurementRecord.Second;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.RelaySpec;
import org.flashflow.testnet.TestnetConfig;
import org.junit.jupiter.api.Test;

/** The demo's verdicts and table: what counts as the expected outcome for each behaviour. */
class DemoOutcomeTest {
  private static final double R = 0.25;
  private static final DemoRelay HONEST = new DemoRelay("relay3", 10, 0, Behaviour.HONEST, 30);
  private static final DemoRelay LIAR = new DemoRelay("relay5", 35, 0.1, Behaviour.LIES, 60);
  private static final DemoRelay REFUSER = new DemoRelay("relay7", 75, 0.05, Behaviour.REFUSES, 0);

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
  void honestJudgedAgainstWhatAStarvedEmulatorCarried() {
    long c = HONEST.capacity();
    // The emulator carried 60% of the capacity: its loop stalled 2 of 5 s (a busy machine).
    Optional<DemoCarried> starved = carried(c * 6 / 10, 2_000);
    DemoOutcome low = completed(HONEST, c * 62 / 100).withCarried(starved);
    assertTrue(low.asExpected(R));
    assertEquals(
        " (the busy machine's emulator stalled 40% of the time and carried 6.00 Mbit/s; within"
            + " 25% of that)",
        low.starvedNote(R));
    // The same shortfall with a loop that kept up: FlashFlow's (or the model's) fault.
    assertFalse(
        completed(HONEST, c * 62 / 100).withCarried(carried(c * 6 / 10, 100)).asExpected(R));
    // Starved, but the estimate far from what was carried.
    assertFalse(completed(HONEST, c * 30 / 100).withCarried(starved).asExpected(R));
    // Within 10% of the truth needs no excuse.
    DemoOutcome fine = completed(HONEST, c * 95 / 100).withCarried(starved);
    assertTrue(fine.asExpected(R));
    assertEquals("", fine.starvedNote(R));
  }

  @Test
  void carriedFoundByRelayAndMeasurementInTheNetworksLog() {
    List<String> log =
        List.of(
            "07:00:00.000 INFO  [testnet-relays-4-1] o.f.t.r.EmulatedRelay - relay relay3:"
                + " measurement 9 ended; carried per second (B/s, capacity 1250000): 1 2 3;"
                + " loop stalled 700 ms",
            "07:00:00.000 INFO  [testnet-relays-4-1] o.f.t.r.EmulatedRelay - relay relay3:"
                + " measurement 10 ended; carried per second (B/s, capacity 1250000): 7 5 6;"
                + " loop stalled 0 ms");
    DemoCarried d = DemoCarried.find(log, "relay3", 9).orElseThrow();
    assertEquals(List.of(1L, 2L, 3L), d.perSecond());
    assertEquals(2, d.median());
    assertTrue(d.starved(), "700 ms of 3 s");
    assertFalse(DemoCarried.find(log, "relay3", 10).orElseThrow().starved());
    assertEquals(6, DemoCarried.find(log, "relay3", 10).orElseThrow().median());
    assertEquals(Optional.empty(), DemoCarried.find(log, "relay1", 9));
    // A measurer tor's loop that stalled counts as the relay's.
    List<String> withMeasurer = new java.util.ArrayList<>(log);
    withMeasurer.add(
        "07:00:01.000 INFO  [testnet-measurer-tors-3-1] o.f.t.t.MeasurerMeasurement - measurer"
            + " alice tor: measurement 10 ended, success=true; loop stalled 400 ms");
    DemoCarried m = DemoCarried.find(withMeasurer, "relay3", 10).orElseThrow();
    assertEquals(400, m.stalledMs());
    assertTrue(m.starved(), "400 ms of 3 s");
  }

  private static Optional<DemoCarried> carried(long perSecond, long stalledMs) {
    return Optional.of(
        new DemoCarried(
            HONEST.capacity(),
            List.of(perSecond, perSecond, perSecond, perSecond, perSecond),
            stalledMs));
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
            "relay    behaviour true Mbit/s rtt ms estimate Mbit/s   error  outcome             "
                + " expected",
            "relay3   honest          10.00     30           10.00   +0.0%  ok                  "
                + " within 10%: yes",
            "relay5   lies            35.00     60           70.00 +100.0%  ok                  "
                + " at most 1.35x: NO",
            "relay7   refuses         75.00      0               -       -  FAIL RELAY_REFUSED  "
                + " FAIL RELAY_REFUSED: yes",
            "1 of 3 relays did NOT end as expected (marked NO)."),
        lines);
  }

  @Test
  void testnetSectionIsValidConfig() throws Exception {
    assertEquals(
        "[relay relay5]\ncapacity = 35 Mbit/s\nbackground = 0.1\nbehaviour = lies\n"
            + "rtt = 60 ms\njitter = 6 ms\n",
        LIAR.testnetSection().replace(System.lineSeparator(), "\n"));
    assertEquals(
        "[relay relay7]\ncapacity = 75 Mbit/s\nbackground = 0.05\nbehaviour = refuses\n",
        REFUSER.testnetSection().replace(System.lineSeparator(), "\n"));
    // The emulator reads it: capacity, round trip and jitter as written.
    RelaySpec spec =
        TestnetConfig.from(Config.parse("[network]\n" + LIAR.testnetSection(), "testnet.ini"))
            .relays()
            .get(0);
    assertEquals(new Latency(Duration.ofMillis(60), Duration.ofMillis(6)), spec.latency());
    assertEquals(LIAR.capacity(), spec.capacity());
  }

  @Test
  void roundTripNoteShowsTheWindowLimitOfTheFarthestRelay() {
    // 1000 cells x 514 bytes x 8 / 0.15 s = 27.4 Mbit/s; 16 circuits 438.6.
    assertEquals(
        "Round trips: a circuit carries at most tor's window of 1000 cells (514 kB) per round"
            + " trip, 27.4 Mbit/s at 150 ms; the 16 circuits of a measurement carry up to 439 Mbit/s"
            + " there, enough for the largest relay (100 Mbit/s).",
        DemoOutcome.roundTripNote(DemoRelay.NETWORK, 16));
    assertTrue(DemoOutcome.roundTripNote(DemoRelay.NETWORK, 2).contains("NOT enough"));
    // Every demo relay is measurable with the demo's 16 circuits, with room to spare.
    for (DemoRelay r : DemoRelay.NETWORK) {
      assertTrue(16 * r.oneCircuitMbits() >= 2 * r.mbits(), r.toString());
    }
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
