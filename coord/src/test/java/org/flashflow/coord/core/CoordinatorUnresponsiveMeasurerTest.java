package org.flashflow.coord.core;

import static org.flashflow.coord.core.Harness.FP1;
import static org.flashflow.coord.core.Harness.FP2;
import static org.flashflow.coord.core.Harness.FP3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.junit.jupiter.api.Test;

/**
 * A measurer that is connected but does not answer (a hung program, or a path that swallows data:
 * TCP cannot tell) is disconnected at the first deadline it misses: ConnectToRelay within
 * setup_timeout, Go (its first report) within report_timeout, or any later report within
 * report_timeout while the others report on. The measurement fails with MEASURER_LOST, and the
 * measurer is forgotten as if it had disconnected until it connects again.
 */
class CoordinatorUnresponsiveMeasurerTest {
  private final Harness h = new Harness(CoordSettings.defaults()).ready();
  private final FakeLink alice = h.connect("alice");
  private final FakeLink bob = h.connect("bob");
  private final FakeLink carol = h.connect("carol");

  /** Asks {@code links} to measure {@code fp} and has the relay accept; returns the meas_id. */
  private long untilConnectToRelay(String fp, FakeLink... links) {
    h.request(fp, links);
    long id = h.lastMeasId();
    h.launch(id);
    h.accept(id);
    return id;
  }

  private void seconds(int n, Runnable eachSecond) {
    for (int i = 0; i < n; i++) {
      h.tick();
      eachSecond.run();
    }
  }

  private void assertToldOnce(FakeLink link, long id, FailReason reason) {
    List<Failure> f = h.failuresTo(link, id);
    assertEquals(1, f.size(), "Failures to " + link);
    assertEquals(FailureCode.C_MEAS_ABORTED.wireValue(), f.get(0).code());
    assertTrue(f.get(0).extraInfo().orElseThrow().startsWith(reason + ": "), f.toString());
  }

  private void assertDropped(FakeLink link, long id, String what) {
    assertEquals("unresponsive: " + what, link.closedBecause);
    assertTrue(h.failuresTo(link, id).isEmpty(), "no Failure to a measurer that is not listening");
    assertTrue(
        !h.coord.connectedMeasurers().contains(link.name()),
        h.coord.connectedMeasurers().toString());
    assertTrue(
        h.coord.status().measurers().stream().noneMatch(m -> m.name().equals(link.name())),
        "status no longer lists " + link.name());
  }

  @Test
  void measurerThatDoesNotAnswerConnectToRelayIsDisconnected() {
    h.request(FP1, alice, bob);
    long id = h.lastMeasId();
    h.launch(id);
    // The relay takes 20 s to accept: each measurer still gets the whole setup_timeout after that.
    seconds(20, () -> {});
    h.accept(id);
    h.connected(alice, id);
    h.loop.advance(Duration.ofSeconds(30).minusMillis(1));
    assertEquals(1, h.live());
    assertNull(bob.closedBecause);

    h.loop.advance(Duration.ofMillis(1));
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurer bob did not answer ConnectToRelay within 30 s; disconnected");
    assertDropped(bob, id, "did not answer ConnectToRelay for meas_id " + id + " within 30 s");
    assertToldOnce(alice, id, FailReason.MEASURER_LOST);
    assertNull(alice.closedBecause);
    assertEquals(Set.of("alice", "carol"), h.coord.connectedMeasurers());

    // Its channel closing afterwards changes nothing; connecting again makes it usable again.
    h.coord.measurerDisconnected(bob);
    h.loop.runPending();
    assertEquals(1, h.sink.writes.size());
    FakeLink bobAgain = h.connect("bob");
    assertEquals(Set.of("alice", "bob", "carol"), h.coord.connectedMeasurers());
    long next = h.startToActive(FP1, bobAgain);
    seconds(
        30,
        () -> {
          h.bg(next, 10, 10);
          h.report(bobAgain, next, 1000);
        });
    assertTrue(h.record(next).completed(), h.record(next).toString());
  }

  @Test
  void measurerAnsweringWithinSetupTimeoutOfConnectToRelayIsKept() {
    h.request(FP1, alice);
    long id = h.lastMeasId();
    h.launch(id);
    seconds(25, () -> {});
    h.accept(id);
    h.loop.advance(Duration.ofSeconds(29));
    h.connected(alice, id);
    h.tor.active(id).callback().onSuccess(null);
    assertEquals(MeasurementPhase.ACTIVE, h.coord.status().measurements().get(0).phase());
    assertNull(alice.closedBecause);
  }

  @Test
  void everyMeasurerThatDoesNotAnswerIsDisconnected() {
    long id = untilConnectToRelay(FP1, alice, bob, carol);
    h.connected(bob, id);
    h.loop.advance(Duration.ofSeconds(30));
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurers alice, carol did not answer ConnectToRelay within 30 s; disconnected");
    String what = "did not answer ConnectToRelay for meas_id " + id + " within 30 s";
    assertDropped(alice, id, what);
    assertDropped(carol, id, what);
    assertToldOnce(bob, id, FailReason.MEASURER_LOST);
    assertEquals(Set.of("bob"), h.coord.connectedMeasurers());
  }

  @Test
  void aDroppedMeasurersOtherMeasurementsFailToo() {
    long id = untilConnectToRelay(FP1, bob);
    h.loop.advance(Duration.ofSeconds(10));
    h.request(FP2, alice, bob); // waits for its relay when bob is dropped
    long second = h.lastMeasId();
    h.launch(second);
    h.loop.advance(Duration.ofSeconds(20));
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurer bob did not answer ConnectToRelay within 30 s; disconnected");
    h.assertFailed(
        second,
        FailReason.MEASURER_LOST,
        "measurer bob disconnected: did not answer ConnectToRelay for meas_id "
            + id
            + " within 30 s");
    assertTrue(h.failuresTo(alice, second).isEmpty(), "alice was never asked to connect");
    assertEquals(0, h.live());
  }

  /**
   * Who reported after whom is judged on the monotonic clock: a wall clock stepped back an hour
   * right after Go must not make alice's reports look older than Go (and the silence everyone's).
   */
  @Test
  void measurerThatDoesNotAnswerGoIsDisconnectedAlsoWhenTheClockStepsBack() {
    long id = h.startToActive(FP1, alice, bob);
    h.loop.stepWallClock(Duration.ofHours(-1));
    seconds(
        4,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
        });
    h.tick(); // 5 s after Go
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurer bob did not answer Go within 5 s (no report, while the others reported);"
            + " disconnected");
    assertNotNull(bob.closedBecause);
    assertNull(alice.closedBecause);
  }

  @Test
  void measurerThatDoesNotAnswerGoIsDisconnected() {
    long id = h.startToActive(FP1, alice, bob);
    seconds(
        4,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
        });
    assertEquals(1, h.live());
    h.tick(); // 5 s after Go
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurer bob did not answer Go within 5 s (no report, while the others reported);"
            + " disconnected");
    assertDropped(bob, id, "did not answer Go for meas_id " + id + " within 5 s (no report)");
    assertToldOnce(alice, id, FailReason.MEASURER_LOST);
    assertEquals(Set.of("alice", "carol"), h.coord.connectedMeasurers());
  }

  @Test
  void measurerSilentAloneMidMeasurementIsDisconnected() {
    long other = h.startToActive(FP2, carol);
    long id = h.startToActive(FP1, alice, bob);
    seconds(
        3,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
          h.report(bob, id, 100);
          h.bg(other, 10, 10);
          h.report(carol, other, 100);
        });
    seconds(
        4,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
          h.bg(other, 10, 10);
          h.report(carol, other, 100);
        });
    assertEquals(2, h.live());
    h.tick(); // 8 s: bob silent since 3 s, alice and the relay reported at 4, 5, 6 and 7 s
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurer bob sent no report for 5 s while the others did; disconnected");
    assertDropped(bob, id, "sent no report for meas_id " + id + " for 5 s while the others did");
    assertToldOnce(alice, id, FailReason.MEASURER_LOST);
    seconds(
        23,
        () -> {
          h.bg(other, 10, 10);
          h.report(carol, other, 100);
        });
    assertTrue(h.record(other).completed(), "carol's measurement is not bob's business");
  }

  @Test
  void measurerSilentWhileTheRelayFaltersTooIsNotSingledOut() {
    long id = h.startToActive(FP1, alice, bob);
    seconds(
        3,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
          h.report(bob, id, 100);
        });
    // One more second of the relay and alice, then they go quiet too: one report after bob's last
    // could be a source that stopped a moment later, so it proves nothing.
    seconds(
        1,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
        });
    h.loop.advance(Duration.ofSeconds(4));
    h.assertFailed(id, FailReason.REPORTS_STOPPED, "no report from bob for 5 s");
    assertNull(bob.closedBecause);
    assertNull(alice.closedBecause);
    assertToldOnce(bob, id, FailReason.REPORTS_STOPPED);
    assertEquals(Set.of("alice", "bob", "carol"), h.coord.connectedMeasurers());
  }

  @Test
  void measurerSilentAfterTheOthersFinishedIsDisconnected() {
    long id = h.startToActive(FP3, alice, bob);
    seconds(
        29,
        () -> {
          h.bg(id, 10, 10);
          h.report(alice, id, 100);
          h.report(bob, id, 100);
        });
    h.tick();
    h.bg(id, 10, 10);
    h.report(alice, id, 100);
    h.loop.advance(Duration.ofSeconds(3));
    assertEquals(1, h.live(), "bob's last report may still come");
    h.tick();
    h.assertFailed(
        id,
        FailReason.MEASURER_LOST,
        "measurer bob sent no report for 5 s while the others did; disconnected");
    assertNotNull(bob.closedBecause);
  }
}
