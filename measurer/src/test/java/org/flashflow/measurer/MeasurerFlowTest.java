package org.flashflow.measurer;

import static org.flashflow.measurer.Fixture.FP;
import static org.flashflow.measurer.Fixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;

/** Whole measurements through the core, on virtual time: circuits, Go, reports, END. */
class MeasurerFlowTest {
  private final Fixture f = new Fixture();

  @Test
  void wholeMeasurement() {
    ConnectToRelay c = new ConnectToRelay(7, FP, 3, 2, OptionalLong.of(5_000_000));
    f.fromCoord(c);
    FakeTor.Call<List<Long>> start = f.tor.lastStart();
    assertEquals(List.of(7L, 3, 2), List.of(start.measId(), start.nCircs(), start.dur()));
    assertEquals(FP, start.fp());
    assertEquals(OptionalLong.of(5_000_000), start.bw());

    start.cb().onSuccess(List.of(10L, 11L, 12L));
    f.circ(10, CircStatus.LAUNCHED);
    f.circ(10, CircStatus.BUILT);
    f.circ(11, CircStatus.BUILT);
    assertEquals(List.of(), f.link.take(), "not before every circuit settled");
    f.circ(12, CircStatus.BUILT);
    assertEquals(List.of(new ConnectedToRelay(c)), f.link.take());

    f.go(7);
    FakeTor.Call<Void> active = f.tor.lastActive();
    assertEquals(List.of(7L, 3, 2), List.of(active.measId(), active.nCircs(), active.dur()));
    assertEquals(OptionalLong.of(5_000_000), active.bw());
    active.cb().onSuccess(null);

    f.loop.advance(Duration.ofMillis(1250));
    f.report(7, 100, 200);
    f.loop.advance(Duration.ofSeconds(1));
    f.report(7, 300, 400);
    double t0 = START.getEpochSecond() + 1.25;
    assertEquals(
        List.of(new BwReport(7, t0, 100, 200), new BwReport(7, t0 + 1, 300, 400)), f.link.take());

    f.end(7, true);
    assertEquals(List.of(), f.link.take());
    MeasurerStatus s = f.measurer.status();
    assertEquals(List.of(), s.live());
    assertEquals(1, s.completed());
    assertEquals(0, s.failed());
    assertEquals(0, f.loop.pendingTimers(), "no deadline left behind");
  }

  @Test
  void exactlyHalfBuiltIsEnoughAndTheSecondCommandCountsOnlyBuiltOnes() {
    ConnectToRelay c = Fixture.ask(7, 4, 30);
    f.fromCoord(c);
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L, 3L, 4L));
    f.circ(1, CircStatus.BUILT);
    f.circ(2, CircStatus.FAILED);
    f.circ(3, CircStatus.BUILT);
    f.circ(4, CircStatus.CLOSED);
    assertEquals(List.of(new ConnectedToRelay(c)), f.link.take());

    f.go(7);
    assertEquals(2, f.tor.lastActive().nCircs());
  }

  @Test
  void fewerThanHalfFailsAsSoonAsHalfIsOutOfReach() {
    f.fromCoord(Fixture.ask(7, 5, 30));
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L, 3L, 4L, 5L));
    f.circ(1, CircStatus.BUILT);
    f.circ(2, CircStatus.BUILT);
    f.circ(3, CircStatus.FAILED);
    f.circ(4, CircStatus.FAILED);
    assertEquals(List.of(), f.link.take(), "3 of 5 still possible");
    f.circ(5, CircStatus.FAILED);

    assertEquals(
        "only 2 of 5 circuits built (need 3)",
        f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7).extraInfo().orElseThrow());
    assertEquals(List.of(), f.liveIds());
    assertEquals(0, f.loop.pendingTimers());
  }

  @Test
  void atTheDeadlineHalfBuiltIsReady() {
    ConnectToRelay c = Fixture.ask(7, 4, 30);
    f.fromCoord(c);
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L, 3L, 4L));
    f.circ(1, CircStatus.BUILT);
    f.circ(2, CircStatus.BUILT);

    f.loop.advance(Fixture.CIRC_TIMEOUT.minusMillis(1));
    assertEquals(List.of(), f.link.take());
    f.loop.advance(Duration.ofMillis(1));
    assertEquals(List.of(new ConnectedToRelay(c)), f.link.take());
  }

  @Test
  void atTheDeadlineFewerThanHalfFails() {
    f.fromCoord(Fixture.ask(7, 4, 30));
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L, 3L, 4L));
    f.circ(1, CircStatus.BUILT);

    f.loop.advance(Fixture.CIRC_TIMEOUT);

    assertEquals(
        "only 1 of 4 circuits built within 30 s (need 2)",
        f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7).extraInfo().orElseThrow());
    assertEquals(List.of(), f.liveIds());
  }

  @Test
  void circuitEventsBeforeTorsReplyStillCount() {
    ConnectToRelay c = Fixture.ask(7, 2, 30);
    f.fromCoord(c);
    // tor's reply and its events reach the loop by different threads.
    f.circ(21, CircStatus.BUILT);
    f.circ(99, CircStatus.BUILT); // someone else's
    f.tor.lastStart().cb().onSuccess(List.of(21L, 22L));
    assertEquals(List.of(), f.link.take());
    f.circ(22, CircStatus.BUILT);
    assertEquals(List.of(new ConnectedToRelay(c)), f.link.take());
  }

  @Test
  void severalMeasurementsAtOnceStayApart() {
    ConnectToRelay a = Fixture.ask(1, 2, 2);
    ConnectToRelay b = new ConnectToRelay(2, Fixture.FP2, 2, 2, OptionalLong.empty());
    f.fromCoord(a);
    f.fromCoord(b);
    f.tor.starts.get(0).cb().onSuccess(List.of(10L, 11L));
    f.tor.starts.get(1).cb().onSuccess(List.of(20L, 21L));
    f.circ(20, CircStatus.BUILT);
    f.circ(10, CircStatus.BUILT);
    f.circ(21, CircStatus.BUILT);
    assertEquals(List.of(new ConnectedToRelay(b)), f.link.take());
    f.circ(11, CircStatus.BUILT);
    assertEquals(List.of(new ConnectedToRelay(a)), f.link.take());

    f.go(1);
    f.go(2);
    f.tor.actives.get(0).cb().onSuccess(null);
    f.tor.actives.get(1).cb().onSuccess(null);
    f.report(2, 1, 2);
    f.report(1, 3, 4);
    f.report(2, 5, 6);
    double t = START.getEpochSecond();
    assertEquals(
        List.<Message>of(
            new BwReport(2, t, 1, 2), new BwReport(1, t, 3, 4), new BwReport(2, t, 5, 6)),
        f.link.take());

    f.end(2, false);
    f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 2);
    f.report(1, 7, 8);
    assertEquals(List.of(new BwReport(1, t, 7, 8)), f.link.take(), "1 goes on");
    assertEquals(List.of(1L), f.liveIds());
  }

  @Test
  void reportsBeforeGoAreNotForwarded() {
    f.ready(7, 30, List.of(1L));
    f.link.take();
    f.report(7, 1, 2);
    assertEquals(List.of(), f.link.take());
  }

  @Test
  void reportsRightAfterGoAreForwardedBeforeTorConfirms() {
    f.ready(7, 30, List.of(1L));
    f.go(7);
    f.link.take();
    f.report(7, 1, 2);
    assertEquals(1, f.link.take().size());
  }

  @Test
  void noEndAfterAllReportsCountsAsDoneAtTheDeadline() {
    f.active(7, 2, List.of(1L));
    f.report(7, 1, 2);
    f.report(7, 1, 2);
    f.link.take();

    f.loop.advance(Duration.ofSeconds(2).plus(MeasurerSettings.DEFAULT_ACTIVE_SLACK));

    assertEquals(List.of(), f.link.take());
    assertEquals(List.of(), f.liveIds());
    assertEquals(1, f.measurer.status().completed());
  }

  @Test
  void statusShowsPhasesAndCounts() {
    f.fromCoord(Fixture.ask(1, 2, 30));
    f.active(2, 30, List.of(5L, 6L));
    f.report(2, 1, 2);

    List<MeasurerStatus.MeasurementStatus> live = f.measurer.status().live();
    assertEquals(
        List.of(
            new MeasurerStatus.MeasurementStatus(1, FP, MeasurementPhase.LAUNCHING, 0, 0, 0, 30),
            new MeasurerStatus.MeasurementStatus(2, FP, MeasurementPhase.ACTIVE, 2, 2, 1, 30)),
        live);
    MeasurerStatus s = f.measurer.status();
    assertTrue(s.coordConnected());
    assertEquals(TorState.READY, s.torState());
  }

  @Test
  void entryPointsRefuseOtherThreads() throws Exception {
    Throwable[] thrown = new Throwable[1];
    Thread t = new Thread(() -> thrown[0] = catching(() -> f.measurer.status()));
    t.start();
    t.join(10_000);
    assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
  }

  private static Throwable catching(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
