package org.flashflow.measurer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;

/** Every Failure the measurer sends, with its code, and cleanup on every way out. */
class MeasurerFailureTest {
  private final Fixture f = new Fixture();

  @Test
  void duplicateMeasIdIsRefusedAndTheLiveOneGoesOn() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.fromCoord(Fixture.ask(7, 2, 30));

    f.onlyFailure(FailureCode.M_DUPE_MEAS_ID, 7);
    assertEquals(1, f.tor.starts.size());
    assertEquals(List.of(7L), f.liveIds());
  }

  @Test
  void torNotReadyRefusesWithLaunchCircs() {
    f.measurer.torStateChanged(TorState.CONNECTING, "connecting to launched tor");
    f.fromCoord(Fixture.ask(7, 2, 30));

    String why = f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7).extraInfo().orElseThrow();
    assertEquals("tor is not ready yet (connecting to launched tor)", why);
    assertEquals(0, f.tor.starts.size());
    assertEquals(List.of(), f.liveIds());
  }

  @Test
  void torWithoutFlashFlowRefusesWithLaunchCircs() {
    f.measurer.torStateChanged(TorState.NO_FLASHFLOW, "stock tor");
    f.fromCoord(Fixture.ask(7, 2, 30));

    String why = f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7).extraInfo().orElseThrow();
    assertTrue(why.contains("does not support FlashFlow"), why);
  }

  @Test
  void torErrorOnTheFirstCommandIsLaunchCircsWithTorsReply() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.tor
        .lastStart()
        .cb()
        .onError(TorFailure.error("510 Unrecognized command \"MEASR_START_MEAS\""));

    assertEquals(
        "MEASR_START_MEAS: 510 Unrecognized command \"MEASR_START_MEAS\"",
        f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7).extraInfo().orElseThrow());
    assertEquals(List.of(), f.liveIds());
    assertEquals(0, f.loop.pendingTimers());
  }

  @Test
  void malformedReplyIsMalformedTorResp() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.tor.lastStart().cb().onError(TorFailure.malformed("250 FF_MEAS 7 LAUNCHED"));

    f.onlyFailure(FailureCode.MALFORMED_TOR_RESP, 7);
  }

  @Test
  void noReplyWithinTheCircuitDeadlineIsLaunchCircs() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.loop.advance(Fixture.CIRC_TIMEOUT);

    f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7);
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L)); // too late: ignored
    f.circ(1, CircStatus.BUILT);
    f.circ(2, CircStatus.BUILT);
    assertEquals(List.of(), f.link.take());
  }

  @Test
  void noCircuitsAtAllIsLaunchCircs() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.tor.lastStart().cb().onSuccess(List.of());
    f.onlyFailure(FailureCode.LAUNCH_CIRCS, 7);
  }

  @Test
  void goForAnUnknownMeasIdIsMUnknownMeasId() {
    f.go(99);
    f.onlyFailure(FailureCode.M_UNKNOWN_MEAS_ID, 99);
  }

  @Test
  void goBeforeReadyIsMStartActiveMeasAndEndsIt() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L));
    f.go(7);

    f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7);
    assertEquals(0, f.tor.actives.size());
    assertEquals(List.of(), f.liveIds());
  }

  @Test
  void secondGoIsMStartActiveMeas() {
    f.active(7, 30, List.of(1L));
    f.link.take();
    f.go(7);

    f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7);
    assertEquals(1, f.tor.actives.size());
    assertEquals(List.of(), f.liveIds());
  }

  @Test
  void torErrorOnTheSecondCommandIsMStartActiveMeas() {
    f.ready(7, 30, List.of(1L));
    f.go(7);
    f.link.take();
    f.tor.lastActive().cb().onError(TorFailure.error("552 no such measurement"));

    assertEquals(
        "second MEASR_START_MEAS: 552 no such measurement",
        f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7).extraInfo().orElseThrow());
  }

  @Test
  void malformedSecondReplyIsMalformedTorResp() {
    f.ready(7, 30, List.of(1L));
    f.go(7);
    f.link.take();
    f.tor.lastActive().cb().onError(TorFailure.malformed("250 what"));
    f.onlyFailure(FailureCode.MALFORMED_TOR_RESP, 7);
  }

  @Test
  void everyCircuitClosedBeforeGoIsMStartActiveMeas() {
    f.ready(7, 30, List.of(1L));
    f.circ(1, CircStatus.CLOSED);
    f.link.take();
    f.go(7);
    f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7);
    assertEquals(0, f.tor.actives.size());
  }

  @Test
  void noGoInTimeIsMStartActiveMeas() {
    f.ready(7, 30, List.of(1L));
    f.link.take();
    f.loop.advance(MeasurerSettings.DEFAULT_GO_TIMEOUT);
    f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7);
  }

  @Test
  void activePhaseOverrunIsMStartActiveMeas() {
    f.active(7, 3, List.of(1L));
    f.report(7, 1, 2);
    f.link.take();
    f.loop.advance(Duration.ofSeconds(3).plus(MeasurerSettings.DEFAULT_ACTIVE_SLACK));

    assertEquals(
        "active phase not over after 18 s (1 of 3 reports)",
        f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7).extraInfo().orElseThrow());
    assertEquals(List.of(), f.liveIds());
  }

  @Test
  void unsuccessfulEndIsReported() {
    f.active(7, 3, List.of(1L));
    f.link.take();
    f.end(7, false);
    String why = f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 7).extraInfo().orElseThrow();
    assertTrue(why.contains("END SUCCESS=FALSE"), why);
  }

  @Test
  void failureFromTheCoordinatorForgetsItSilently() {
    f.active(7, 30, List.of(1L));
    f.link.take();
    f.fromCoord(Fixture.failure(FailureCode.C_MEAS_ABORTED, 7, "TIMEOUT: too slow"));

    assertEquals(List.of(), f.liveIds());
    f.report(7, 1, 2);
    f.end(7, true);
    assertEquals(List.of(), f.link.take(), "nothing more about 7");
    assertEquals(0, f.loop.pendingTimers());
    assertEquals(1, f.measurer.status().failed());
  }

  @Test
  void failureFromTheCoordinatorWhileTorIsBusyIgnoresTheLateReply() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.fromCoord(Fixture.failure(FailureCode.C_MEAS_ABORTED, 7, "x"));
    f.tor.lastStart().cb().onSuccess(List.of(1L, 2L));
    f.circ(1, CircStatus.BUILT);
    f.circ(2, CircStatus.BUILT);
    assertEquals(List.of(), f.link.take());
  }

  @Test
  void failureWithoutMeasIdOrForAStrangerChangesNothing() {
    f.fromCoord(Fixture.ask(7, 2, 30));
    f.fromCoord(new Failure(6, OptionalLong.empty(), Optional.empty()));
    f.fromCoord(Fixture.failure(FailureCode.C_MEAS_ABORTED, 8, "x"));
    assertEquals(List.of(7L), f.liveIds());
    assertEquals(List.of(), f.link.take());
  }

  @Test
  void coordinatorDisconnectForgetsEverythingAndOldLinksAreIgnored() {
    f.active(1, 30, List.of(1L));
    f.fromCoord(Fixture.ask(2, 2, 30));
    f.link.take();

    f.measurer.coordDisconnected(f.link);
    assertEquals(List.of(), f.liveIds());
    assertEquals(0, f.loop.pendingTimers());
    f.report(1, 1, 2);
    assertEquals(List.of(), f.link.take());
    assertTrue(!f.measurer.status().coordConnected());

    FakeLink next = new FakeLink("coord.test:12934");
    f.measurer.coordConnected(next);
    f.measurer.coordMessage(f.link, Fixture.ask(3, 1, 30)); // the old link: dropped
    assertEquals(2, f.tor.starts.size(), "only the two before the disconnect");
    ConnectToRelay c = Fixture.ask(3, 1, 30);
    f.measurer.coordMessage(next, c);
    f.tor.lastStart().cb().onSuccess(List.of(9L));
    f.circ(9, CircStatus.BUILT);
    assertEquals(List.of(new ConnectedToRelay(c)), next.take());
  }

  @Test
  void torLossFailsEveryLiveMeasurementByPhase() {
    f.fromCoord(Fixture.ask(1, 2, 30)); // launching
    f.active(2, 30, List.of(5L)); // active
    f.link.take();

    f.measurer.torStateChanged(TorState.LOST, "tor closed the control connection");

    List<Failure> sent = f.link.take().stream().map(Failure.class::cast).toList();
    assertEquals(2, sent.size());
    assertEquals(FailureCode.LAUNCH_CIRCS.wireValue(), sent.get(0).code());
    assertEquals(OptionalLong.of(1), sent.get(0).measId());
    assertEquals(FailureCode.M_START_ACTIVE_MEAS.wireValue(), sent.get(1).code());
    assertEquals(OptionalLong.of(2), sent.get(1).measId());
    assertEquals(
        Optional.of("lost tor (LOST: tor closed the control connection)"), sent.get(1).extraInfo());
    assertEquals(List.of(), f.liveIds());
    assertEquals(0, f.loop.pendingTimers());

    f.tor.starts.get(0).cb().onError(TorFailure.lost("gone")); // the late error: ignored
    assertEquals(List.of(), f.link.take());
  }

  @Test
  void shutdownFailsLiveMeasurementsAndRefusesNewOnes() {
    f.active(2, 30, List.of(5L));
    f.link.take();
    f.measurer.shutdown();
    f.onlyFailure(FailureCode.M_START_ACTIVE_MEAS, 2);
    f.fromCoord(Fixture.ask(3, 1, 30));
    assertEquals(
        "the measurer is shutting down",
        f.onlyFailure(FailureCode.LAUNCH_CIRCS, 3).extraInfo().orElseThrow());
  }

  @Test
  void messagesOnlyMeasurersSendAreDropped() {
    f.fromCoord(new BwReport(1, 1.0, 1, 1));
    f.fromCoord(new ConnectedToRelay(Fixture.ask(1, 1, 1)));
    assertEquals(List.of(), f.link.take());
    assertEquals(List.of(), f.liveIds());
  }
}
