package org.flashflow.coord.core;

import static org.flashflow.coord.core.Harness.FP1;
import static org.flashflow.coord.core.Harness.FP2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Go;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;

/** Each failure of docs/protocol.md section 4 ends only its own measurement. */
class CoordinatorFailureTest {
  private final Harness h = new Harness(CoordSettings.defaults()).ready();
  private final FakeLink alice = h.connect("alice");
  private final FakeLink bob = h.connect("bob");
  private final FakeLink carol = h.connect("carol");

  /** A second measurement that must come through every failure of the first one untouched. */
  private long bystander() {
    return h.startToActive(FP2, carol);
  }

  private void assertBystanderCompletes(long id) {
    assertTrue(h.failuresTo(carol, id).isEmpty());
    for (int i = 0; i < 30; i++) {
      h.tick();
      h.bg(id, 10, 10);
      h.report(carol, id, 1000);
    }
    assertTrue(h.record(id).completed(), h.record(id).toString());
  }

  private void assertToldOnce(FakeLink link, long id, FailReason reason) {
    List<Failure> f = h.failuresTo(link, id);
    assertEquals(1, f.size(), "Failures to " + link);
    assertEquals(FailureCode.C_MEAS_ABORTED.wireValue(), f.get(0).code());
    assertTrue(f.get(0).extraInfo().orElseThrow().startsWith(reason + ": "), f.toString());
  }

  @Test
  void relayRefuses() {
    long other = bystander();
    Harness.Answer answer = h.request(FP1, alice, bob);
    long id = h.lastMeasId();
    h.launch(id);
    h.coord.torEvent(new FfMeasEvent.ParamsOk(id, false));
    h.assertFailed(
        id, FailReason.RELAY_REFUSED, "relay refused the measurement (PARAMS_OK ACCEPTED=FALSE)");
    assertTrue(alice.sent.isEmpty(), "measurers never heard of it");
    assertEquals(id, answer.measId, "the start request was answered at LAUNCHED");
    assertEquals(1, answer.calls);
    assertBystanderCompletes(other);
  }

  /**
   * tor's refusal event can reach the loop before its reply to COORD_START_MEAS (they come on
   * different threads): the measurement still counts as started, so {@code measure} answers OK with
   * its meas_id and the record says why it failed, as when the reply came first.
   */
  @Test
  void relayRefusesBeforeTorsReplyArrives() {
    Harness.Answer answer = h.request(FP1, alice, bob);
    long id = h.lastMeasId();
    h.coord.torEvent(new FfMeasEvent.ParamsOk(id, false));
    assertEquals(id, answer.measId, "started, not refused: " + answer.refused);
    assertEquals(1, answer.calls);
    h.assertFailed(
        id, FailReason.RELAY_REFUSED, "relay refused the measurement (PARAMS_OK ACCEPTED=FALSE)");
    h.launch(id); // the reply, late: changes nothing
    assertEquals(1, answer.calls);
    assertEquals(1, h.sink.records().size(), "one record: " + h.sink.records());
  }

  @Test
  void circuitFailsDuringSetupButOtherCircuitsDoNotMatter() {
    long other = bystander();
    h.request(FP1, alice, bob);
    long id = h.lastMeasId();
    long circ = h.launch(id);
    h.accept(id);
    h.connected(alice, id);
    h.coord.torEvent(new CircEvent(circ + 1000, CircStatus.FAILED, Optional.empty()));
    assertEquals(2, h.live());
    h.coord.torEvent(new CircEvent(circ, CircStatus.FAILED, Optional.of("TIMEOUT")));
    h.assertFailed(
        id, FailReason.CIRC_FAILED, "circuit " + circ + " to the relay FAILED (TIMEOUT)");
    assertToldOnce(alice, id, FailReason.CIRC_FAILED);
    assertToldOnce(bob, id, FailReason.CIRC_FAILED);
    assertBystanderCompletes(other);
  }

  @Test
  void circuitClosedDuringActivePhase() {
    h.request(FP1, alice);
    long id = h.lastMeasId();
    long circ = h.launch(id);
    h.accept(id);
    h.connected(alice, id);
    h.tor.active(id).callback().onSuccess(null);
    h.bg(id, 1, 1);
    h.coord.torEvent(new CircEvent(circ, CircStatus.CLOSED, Optional.empty()));
    h.assertFailed(id, FailReason.CIRC_FAILED, "circuit " + circ + " to the relay CLOSED");
    assertToldOnce(alice, id, FailReason.CIRC_FAILED);
  }

  @Test
  void torErrorOnFirstCommandRefusesTheStart() {
    long other = bystander();
    Harness.Answer answer = h.request(FP1, alice);
    long id = h.lastMeasId();
    h.tor.start(id).callback().onError(TorFailure.error("552 Unknown relay"));
    h.assertFailed(id, FailReason.TOR_ERROR, "COORD_START_MEAS: 552 Unknown relay");
    assertEquals(
        "measurement " + id + " of " + FP1 + " failed: COORD_START_MEAS: 552 Unknown relay",
        answer.refused);
    assertEquals(1, answer.calls);
    assertBystanderCompletes(other);
  }

  @Test
  void torTimeoutOnSecondCommand() {
    long other = bystander();
    h.request(FP1, alice, bob);
    long id = h.lastMeasId();
    h.launch(id);
    h.accept(id);
    h.connected(alice, id);
    h.connected(bob, id);
    h.tor.active(id).callback().onError(TorFailure.timeout("no answer in 10 s"));
    h.assertFailed(id, FailReason.TOR_TIMEOUT, "second COORD_START_MEAS: no answer in 10 s");
    assertTrue(alice.sent(Go.class).isEmpty());
    assertToldOnce(alice, id, FailReason.TOR_TIMEOUT);
    assertToldOnce(bob, id, FailReason.TOR_TIMEOUT);
    assertBystanderCompletes(other);
  }

  @Test
  void measurerFailureIsNotEchoedToIt() {
    long other = bystander();
    long id = h.startToActive(FP1, alice, bob);
    h.tick();
    h.fail(bob, id, 1, "tor said 552");
    h.assertFailed(
        id, FailReason.MEASURER_FAILED, "measurer bob failed: code 1 (LAUNCH_CIRCS): tor said 552");
    assertToldOnce(alice, id, FailReason.MEASURER_FAILED);
    assertTrue(h.failuresTo(bob, id).isEmpty());
    assertBystanderCompletes(other);
  }

  @Test
  void unknownFailureCodeIsKeptAsANumber() {
    long id = h.startToActive(FP1, alice);
    h.fail(alice, id, 99, "new");
    h.assertFailed(id, FailReason.MEASURER_FAILED, "measurer alice failed: code 99: new");
  }

  @Test
  void measurerDisconnects() {
    long other = bystander();
    long id = h.startToActive(FP1, alice, bob);
    h.coord.measurerDisconnected(alice);
    h.assertFailed(id, FailReason.MEASURER_LOST, "measurer alice disconnected");
    assertToldOnce(bob, id, FailReason.MEASURER_LOST);
    assertTrue(h.failuresTo(alice, id).isEmpty());
    assertEquals(List.of("bob", "carol"), measurerNames());
    assertBystanderCompletes(other);
  }

  @Test
  void mismatchedConnectedToRelayFailsTheMeasurement() {
    h.request(FP1, alice);
    long id = h.lastMeasId();
    h.launch(id);
    h.accept(id);
    ConnectToRelay asked = h.asked(alice, id);
    h.coord.measurerMessage(
        alice,
        new ConnectedToRelay(
            new ConnectToRelay(id, FP1, asked.nCircs() + 1, asked.dur(), OptionalLong.empty())));
    h.assertFailed(id, FailReason.MEASURER_FAILED, "measurer alice confirmed other parameters");
    assertToldOnce(alice, id, FailReason.MEASURER_FAILED);
  }

  /** Advances whole seconds, the bystander reporting every second as a healthy one does. */
  private void ticksFeeding(long other, int seconds) {
    for (int i = 0; i < seconds; i++) {
      h.tick();
      h.bg(other, 10, 10);
      h.report(carol, other, 1000);
    }
  }

  @Test
  void relayDoesNotAcceptInTime() {
    long other = bystander();
    h.request(FP1, alice);
    long id = h.lastMeasId();
    h.launch(id);
    ticksFeeding(other, 29);
    h.loop.advance(Duration.ofMillis(999));
    assertEquals(2, h.live());
    h.loop.advance(Duration.ofMillis(1));
    h.assertFailed(id, FailReason.TIMEOUT, "relay did not accept within 30 s");
    assertTrue(alice.sent.isEmpty());
    ticksFeeding(other, 1);
    assertTrue(h.record(other).completed());
  }

  @Test
  void activePhaseDeadline() {
    long id = h.startToActive(FP1, alice, bob);
    // background and alice every second, bob only every other second: never a 5 s gap
    for (int s = 1; s <= 44; s++) {
      h.tick();
      h.bg(id, 10, 10);
      h.report(alice, id, 100);
      if (s % 2 == 0) {
        h.report(bob, id, 100);
      }
    }
    assertEquals(1, h.live());
    h.tick();
    h.assertFailed(
        id,
        FailReason.TIMEOUT,
        "active phase not complete after 45 s (background 30/30, alice 30/30, bob 22/30)");
    assertToldOnce(bob, id, FailReason.TIMEOUT);
  }

  /**
   * Every measurer goes silent while the relay reports on: nobody is singled out as hung (a
   * measurer silent alone is disconnected instead, see CoordinatorUnresponsiveMeasurerTest).
   */
  @Test
  void reportsStopFromEveryMeasurer() {
    long other = bystander();
    long id = h.startToActive(FP1, alice, bob);
    for (int s = 1; s <= 3; s++) {
      h.tick();
      h.bg(id, 10, 10);
      h.report(alice, id, 100);
      h.report(bob, id, 100);
      h.bg(other, 10, 10);
      h.report(carol, other, 100);
    }
    for (int s = 4; s <= 7; s++) {
      h.tick();
      h.bg(id, 10, 10);
      h.bg(other, 10, 10);
      h.report(carol, other, 100);
    }
    assertEquals(2, h.live());
    h.tick(); // 8 s: alice and bob silent since 3 s
    h.assertFailed(id, FailReason.REPORTS_STOPPED, "no report from alice for 5 s");
    assertToldOnce(alice, id, FailReason.REPORTS_STOPPED);
    assertToldOnce(bob, id, FailReason.REPORTS_STOPPED);
    assertNull(alice.closedBecause);
    assertNull(bob.closedBecause);
    assertEquals(List.of("alice", "bob", "carol"), measurerNames());
    assertEquals(1, h.live());
  }

  @Test
  void backgroundReportsStop() {
    long id = h.startToActive(FP1, alice);
    for (int s = 1; s <= 5; s++) {
      h.tick();
      h.report(alice, id, 100);
    }
    h.assertFailed(id, FailReason.REPORTS_STOPPED, "no background report from the relay for 5 s");
  }

  @Test
  void torEndsUnsuccessfully() {
    long other = bystander();
    long id = h.startToActive(FP1, alice);
    h.coord.torEvent(new FfMeasEvent.End(id, false));
    h.assertFailed(id, FailReason.TOR_ENDED, "tor ended the measurement (END SUCCESS=FALSE)");
    assertToldOnce(alice, id, FailReason.TOR_ENDED);
    assertBystanderCompletes(other);
  }

  @Test
  void torEndsEarly() {
    long id = h.startToActive(FP1, alice);
    h.tick();
    h.bg(id, 1, 1);
    h.coord.torEvent(new FfMeasEvent.End(id, true));
    h.assertFailed(
        id, FailReason.TOR_ENDED, "tor ended the measurement after 1 of 30 background reports");
  }

  @Test
  void torLostFailsEveryLiveMeasurement() {
    long m1 = h.startToActive(FP1, alice, bob);
    h.request(FP2, carol);
    long m2 = h.lastMeasId();
    h.coord.torStateChanged(TorState.LOST, "connection reset");
    h.assertFailed(m1, FailReason.TOR_LOST, "tor connection LOST: connection reset");
    h.assertFailed(m2, FailReason.TOR_LOST, "tor connection LOST: connection reset");
    assertToldOnce(alice, m1, FailReason.TOR_LOST);
    assertTrue(h.failuresTo(carol, m2).isEmpty(), "carol was never asked to connect");
    assertEquals(0, h.live());
    assertEquals(2, h.coord.status().failed());
    // the adapter completes the pending command with LOST afterwards: no second record
    h.tor.start(m2).callback().onError(TorFailure.lost("gone"));
    h.loop.runPending();
    assertEquals(2, h.sink.writes.size());
  }

  @Test
  void shutdownFailsEveryLiveMeasurementAndRefusesNewOnes() {
    long m1 = h.startToActive(FP1, alice, bob);
    long m2 = h.startToActive(FP2, carol);
    h.coord.shutdown();
    h.assertFailed(m1, FailReason.SHUTDOWN, "coordinator shutting down");
    h.assertFailed(m2, FailReason.SHUTDOWN, "coordinator shutting down");
    assertToldOnce(carol, m2, FailReason.SHUTDOWN);
    Harness.Answer a = h.request(FP1, alice);
    assertEquals("the coordinator is shutting down", a.refused);
    h.coord.shutdown();
    h.loop.runPending();
    assertEquals(2, h.sink.writes.size());
    assertEquals(0, h.loop.pendingTimers());
  }

  @Test
  void sameNameReplacesTheOldConnection() {
    long other = bystander();
    long id = h.startToActive(FP1, alice, bob);
    FakeLink alice2 = new FakeLink("alice", "198.51.100.7:999");
    h.coord.measurerConnected(alice2);
    assertEquals("replaced by a new connection", alice.closedBecause);
    h.assertFailed(id, FailReason.MEASURER_LOST, "measurer alice replaced by a new connection");
    assertTrue(h.failuresTo(alice, id).isEmpty());
    assertTrue(alice2.sent.isEmpty());
    assertToldOnce(bob, id, FailReason.MEASURER_LOST);
    // the old link's late messages and its disconnect change nothing
    h.report(alice, other, 5);
    h.coord.measurerDisconnected(alice);
    assertEquals(List.of("alice", "bob", "carol"), measurerNames());
    assertEquals(
        "198.51.100.7:999",
        h.coord.status().measurers().stream()
            .filter(m -> m.name().equals("alice"))
            .findFirst()
            .orElseThrow()
            .address());
    assertBystanderCompletes(other);
  }

  @Test
  void reportsFromStrangersAndForUnknownIdsAreDropped() {
    Harness small = new Harness(CoordSettings.of(2, 0.25)).ready();
    FakeLink a = small.connect("alice");
    FakeLink stranger = small.connect("mallory");
    long id = small.startToActive(FP1, a);
    small.report(stranger, id, 1_000_000);
    small.report(stranger, 12345, 1);
    small.fail(stranger, id, 1, "not mine");
    small.coord.measurerMessage(stranger, new ConnectedToRelay(small.asked(a, id)));
    small.coord.measurerMessage(a, new Go(id));
    small.coord.torEvent(new FfMeasEvent.BwReport(777, 1, 1));
    for (int i = 0; i < 2; i++) {
      small.tick();
      small.bg(id, 0, 0);
      small.report(a, id, 100);
    }
    assertEquals(
        200.0 / 2,
        small.onlyRecord().seconds().stream().mapToLong(s -> s.measurerRecv().get(0)).sum() / 2.0);
    assertTrue(small.onlyRecord().completed());
    assertTrue(stranger.sent.isEmpty());
  }

  @Test
  void resultsWrittenOnceAndForgottenOnlyWhenDurable() {
    Harness small = new Harness(CoordSettings.of(1, 0.25)).ready();
    small.sink.autoDurable = false;
    FakeLink a = small.connect("alice");
    FakeLink b = small.connect("bob");
    long id = small.startToActive(FP1, a, b);
    small.bg(id, 0, 0);
    small.report(a, id, 1);
    small.report(b, id, 1);
    assertEquals(1, small.sink.writes.size());
    assertEquals(MeasurementPhase.FINISHING, small.coord.status().measurements().get(0).phase());
    assertTrue(small.ended.isEmpty(), "observer waits for durability");
    // late input for a finishing measurement changes nothing
    small.fail(a, id, 1, "late");
    small.coord.measurerDisconnected(b);
    small.coord.torEvent(new FfMeasEvent.End(id, false));
    small.coord.torStateChanged(TorState.LOST, "bye");
    small.coord.shutdown();
    small.loop.advance(Duration.ofMinutes(5));
    assertEquals(1, small.sink.writes.size());
    assertTrue(small.sink.writes.get(0).record().completed());
    assertTrue(small.failuresTo(a, id).isEmpty());
    assertEquals(1, small.live());

    small.sink.writes.get(0).onDurable().run();
    assertEquals(0, small.live());
    assertEquals(1, small.ended.size());
    small.sink.writes.get(0).onDurable().run();
    assertEquals(1, small.ended.size(), "a second onDurable is harmless");
  }

  @Test
  void lateMessagesAfterTheMeasurementWasForgottenChangeNothing() {
    long id = h.startToActive(FP1, alice, bob);
    h.fail(bob, id, 1, "gave up");
    h.loop.runPending();
    assertEquals(0, h.live());
    int sentToAlice = alice.sent.size();
    h.report(alice, id, 100);
    h.fail(alice, id, 4, "unknown meas_id");
    h.coord.measurerMessage(alice, new ConnectedToRelay(h.asked(alice, id)));
    h.coord.torEvent(new FfMeasEvent.BwReport(id, 1, 1));
    h.coord.torEvent(new FfMeasEvent.End(id, false));
    h.loop.advance(Duration.ofMinutes(1));
    assertEquals(1, h.sink.writes.size());
    assertEquals(sentToAlice, alice.sent.size());
    assertEquals(1, h.ended.size());
  }

  private List<String> measurerNames() {
    return h.coord.status().measurers().stream().map(m -> m.name()).toList();
  }
}
