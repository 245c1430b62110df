package org.flashflow.coord.e2e;

import static org.flashflow.coord.e2e.CoordFixture.WAIT;
import static org.flashflow.coord.e2e.CoordFixture.assertFailed;
import static org.flashflow.coord.e2e.CoordFixture.beginTs;
import static org.flashflow.coord.e2e.CoordFixture.expectedCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Behaviour;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Relay;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a measurement can fail, over loopback with real parts: each ends only its own
 * measurement, with the right FAIL reason in the results log, and tells the measurers.
 */
class CoordFailuresE2ETest {
  static final String HONEST = "11".repeat(20);
  static final String REFUSES = "22".repeat(20);
  static final String CIRC_FAILS = "33".repeat(20);
  static final String DIES = "44".repeat(20);
  static final String SILENT = "55".repeat(20);
  static final String CIRC_FAILS_AT_ONCE = "66".repeat(20);

  @TempDir Path dir;
  private FakeFlashFlowTor tor;
  private CoordFixture coord;

  @BeforeEach
  void setUp() throws Exception {
    tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(new Relay("honest", HONEST, 1000, 1000), Behaviour.HONEST);
    tor.addRelay(new Relay("refuses", REFUSES, 1000, 1000), Behaviour.REFUSES);
    tor.addRelay(new Relay("circfails", CIRC_FAILS, 1000, 1000), Behaviour.CIRCUIT_FAILS);
    tor.addRelay(new Relay("dies", DIES, 1000, 1000), Behaviour.DIES_MID_MEASUREMENT);
    tor.addRelay(new Relay("silent", SILENT, 1000, 1000), Behaviour.NEVER_ANSWERS);
    tor.addRelay(
        new Relay("circfailsnow", CIRC_FAILS_AT_ONCE, 1000, 1000), Behaviour.CIRCUIT_FAILS_AT_ONCE);
    coord = new CoordFixture(dir).attach(tor);
    coord.trustedMeasurerKey("alice");
    coord.trustedMeasurerKey("bob");
  }

  @AfterEach
  void tearDown() throws Exception {
    coord.close();
  }

  /** {@code measure fp}; the reply is OK, or ERR if the failure beat tor's LAUNCHED. */
  private long measureExpectingFailure(String fp) {
    List<String> reply = coord.ctrl("measure " + fp);
    assertEquals(1, reply.size(), reply.toString());
    assertTrue(
        reply.get(0).startsWith("OK meas_id=") || reply.get(0).startsWith("ERR measurement "),
        reply.toString());
    return coord.awaitMeasIdOf(fp);
  }

  /** A measurement of the honest relay after a failure still completes. */
  private void honestMeasurementCompletes(int measurers) {
    long id = coord.measure(HONEST, HONEST);
    List<String> lines = coord.awaitRecord(id);
    assertEquals(2 + 3 * (measurers + 1), lines.size(), lines.toString());
    assertTrue(lines.get(lines.size() - 1).endsWith(" END"), lines.toString());
  }

  private static void assertAborted(Failure f, String reason) {
    assertEquals(FailureCode.C_MEAS_ABORTED.wireValue(), f.code());
    assertTrue(f.extraInfo().orElse("").startsWith(reason + ": "), f.toString());
  }

  @Test
  void relayRefuses() throws Exception {
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.honest(1000));

    long id = measureExpectingFailure(REFUSES);

    String detail = assertFailed(coord.awaitRecord(id), REFUSES, "RELAY_REFUSED");
    assertTrue(detail.contains("ACCEPTED=FALSE"), detail);
    // Refused before any measurer was asked, so none was bothered.
    assertEquals(List.of(), alice.received());
    honestMeasurementCompletes(1);
  }

  @Test
  void circuitFails() throws Exception {
    coord.startReady();
    coord.measurer("alice", Script.honest(1000));

    long id = measureExpectingFailure(CIRC_FAILS);

    String detail = assertFailed(coord.awaitRecord(id), CIRC_FAILS, "CIRC_FAILED");
    assertTrue(detail.contains("FAILED"), detail);
    honestMeasurementCompletes(1);
  }

  /**
   * tor may report the circuit FAILED right behind its LAUNCHED reply, in the same read: the event
   * reaches the core by a shorter path than the reply, and must not be lost on the way.
   */
  @Test
  void circuitFailsRightBehindTheReply() throws Exception {
    coord.set("meas_params", "setup_timeout", "2").startReady();
    coord.measurer("alice", Script.honest(1000));

    for (int i = 1; i <= 5; i++) {
      List<String> reply = coord.ctrl("measure " + CIRC_FAILS_AT_ONCE);
      assertEquals(1, reply.size(), reply.toString());
      int n = i;
      List<String> fails =
          Await.value(
              WAIT,
              () -> {
                List<String> f =
                    coord.results().stream().filter(l -> l.split(" ")[2].equals("FAIL")).toList();
                return f.size() == n ? f : null;
              },
              "FAIL number " + i);
      String last = fails.get(n - 1);
      assertTrue(last.contains(" FAIL CIRC_FAILED "), "attempt " + i + ": " + last);
    }
  }

  @Test
  void relayDiesMidMeasurement() throws Exception {
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.honest(1000));

    long id = coord.measure(DIES, DIES);

    String detail = assertFailed(coord.awaitRecord(id), DIES, "TOR_ENDED");
    assertTrue(detail.contains("SUCCESS=FALSE"), detail);
    assertAborted(alice.awaitFailure(id, WAIT), "TOR_ENDED");
  }

  @Test
  void torNeverAnswersCoordStartMeas() throws Exception {
    coord.set("tor", "command_timeout", "1").startReady();
    coord.measurer("alice", Script.honest(1000));

    List<String> reply = coord.ctrl("measure " + SILENT);
    long id = coord.awaitMeasIdOf(SILENT);

    assertEquals(1, reply.size(), reply.toString());
    assertTrue(
        reply.get(0).startsWith("ERR measurement " + id + " of " + SILENT + " failed: "),
        reply.toString());
    String detail = assertFailed(coord.awaitRecord(id), SILENT, "TOR_TIMEOUT");
    assertTrue(detail.contains("did not answer COORD_START_MEAS"), detail);
    // The timed-out connection is dropped (replies would pair with the wrong command); the
    // bridge reconnects and the next measurement completes.
    coord.awaitStatus(s -> s.contains("tor: READY"), "tor READY again");
    honestMeasurementCompletes(1);
  }

  @Test
  void aMeasurerSendsFailureAndTheOtherIsTold() throws Exception {
    coord.startReady();
    coord.measurer("alice", Script.failsConnect());
    TestMeasurer bob = coord.measurer("bob", Script.honest(1000));

    long id = coord.measure(HONEST, HONEST);

    String detail = assertFailed(coord.awaitRecord(id), HONEST, "MEASURER_FAILED");
    assertTrue(detail.startsWith("measurer alice failed: code 1 (LAUNCH_CIRCS)"), detail);
    assertAborted(bob.awaitFailure(id, WAIT), "MEASURER_FAILED");
  }

  @Test
  void aMeasurerDisconnectsMidMeasurement() throws Exception {
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.disconnectsAfter(1, 1000));
    TestMeasurer bob = coord.measurer("bob", Script.honest(1000));

    long id = coord.measure(HONEST, HONEST);

    String detail = assertFailed(coord.awaitRecord(id), HONEST, "MEASURER_LOST");
    assertEquals("measurer alice disconnected", detail);
    assertFalse(alice.isOpen());
    assertAborted(bob.awaitFailure(id, WAIT), "MEASURER_LOST");
    coord.awaitStatus(s -> s.contains("measurers: 1 connected"), "alice gone from status");
    honestMeasurementCompletes(1);
  }

  /** Silent alone (the relay's reports are all in): hung or cut off, so it is disconnected. */
  @Test
  void aMeasurerStopsReporting() throws Exception {
    coord.set("meas_params", "report_timeout", "1").startReady();
    TestMeasurer alice = coord.measurer("alice", Script.stopsAfter(1, 1000));

    long id = coord.measure(HONEST, HONEST);

    String detail = assertFailed(coord.awaitRecord(id), HONEST, "MEASURER_LOST");
    assertEquals(
        "measurer alice sent no report for 1 s while the others did; disconnected", detail);
    alice.awaitClosed(WAIT);
    coord.awaitStatus(s -> s.contains("measurers: 0 connected"), "alice gone from status");
  }

  @Test
  void aMeasurerNeverAnswersConnectToRelay() throws Exception {
    coord.set("meas_params", "setup_timeout", "2").startReady();
    TestMeasurer alice = coord.measurer("alice", Script.honest(1000));
    TestMeasurer bob = coord.measurer("bob", Script.ignoresConnect());

    long id = coord.measure(HONEST, HONEST);

    String detail = assertFailed(coord.awaitRecord(id), HONEST, "MEASURER_LOST");
    assertEquals("measurer bob did not answer ConnectToRelay within 2 s; disconnected", detail);
    assertAborted(alice.awaitFailure(id, WAIT), "MEASURER_LOST");
    bob.awaitClosed(WAIT);
    assertTrue(
        bob.received().stream().noneMatch(m -> m instanceof Failure), bob.received().toString());
    coord.awaitStatus(s -> s.contains("measurers: 1 connected"), "bob gone from status");
    assertTrue(alice.isOpen());
    honestMeasurementCompletes(1);
  }

  @Test
  void oneOfTwoConcurrentMeasurementsFailsAndTheOtherCompletes() throws Exception {
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.honest(4000));
    TestMeasurer bob = coord.measurer("bob", Script.honest(8000));

    long good = coord.measure(HONEST, HONEST);
    long bad = coord.measure(DIES, DIES);
    assertTrue(good != bad);

    assertFailed(coord.awaitRecord(bad), DIES, "TOR_ENDED");
    List<String> lines = coord.awaitRecord(good);
    // measured 12000; max_bg floor(0.25 * 12000 / 0.75) = 4000; claimed min(1000, 1000)
    assertEquals(
        expectedCompleted(good, beginTs(lines), HONEST, 3, List.of(4000L, 8000L), 1000, 4000),
        lines);
    assertAborted(alice.awaitFailure(bad, WAIT), "TOR_ENDED");
    assertAborted(bob.awaitFailure(bad, WAIT), "TOR_ENDED");
    assertEquals(
        Optional.empty(),
        alice.received().stream()
            .filter(m -> m instanceof Failure f && f.measId().getAsLong() == good)
            .findFirst(),
        "no Failure for the measurement that completed");
    coord.awaitStatus(
        s -> s.contains("measurements: 0 live, 1 completed and 1 failed"), "1 completed, 1 failed");
  }
}
