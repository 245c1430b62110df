package org.flashflow.measurer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorState;

/** A measurer core on virtual time with a fake tor and a fake coordinator link, tor READY. */
final class Fixture {
  static final String FP = "ABABABABABABABABABABABABABABABABABABABAB";
  static final String FP2 = "CDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCD";
  static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  static final Duration CIRC_TIMEOUT = Duration.ofSeconds(30);

  final ManualLoop loop = new ManualLoop(START);
  final FakeTor tor = new FakeTor();
  final FakeLink link = new FakeLink("coord.test:12934");
  final Measurer measurer;

  Fixture() {
    this(MeasurerMetrics.NONE);
  }

  Fixture(MeasurerMetrics metrics) {
    measurer = new Measurer(loop, MeasurerSettings.of(CIRC_TIMEOUT), tor, metrics);
    measurer.torStateChanged(TorState.READY, "tor 0.4.9 at test");
    measurer.coordConnected(link);
  }

  static ConnectToRelay ask(long measId, int nCircs, int dur) {
    return new ConnectToRelay(measId, FP, nCircs, dur, OptionalLong.empty());
  }

  void fromCoord(Message m) {
    measurer.coordMessage(link, m);
  }

  void go(long measId) {
    fromCoord(new Go(measId));
  }

  void circ(long circId, CircStatus status) {
    measurer.torEvent(new CircEvent(circId, status, Optional.empty()));
  }

  void report(long measId, long sent, long recv) {
    measurer.torEvent(new FfMeasEvent.BwReport(measId, sent, recv));
  }

  void end(long measId, boolean success) {
    measurer.torEvent(new FfMeasEvent.End(measId, success));
  }

  /** ConnectToRelay, tor launches {@code circs}, every one BUILT: ready for Go. */
  ConnectToRelay ready(long measId, int dur, List<Long> circs) {
    ConnectToRelay c = ask(measId, circs.size(), dur);
    fromCoord(c);
    tor.lastStart().cb().onSuccess(circs);
    for (long id : circs) {
      circ(id, CircStatus.BUILT);
    }
    return c;
  }

  /** Ready, Go, and tor confirmed the active phase. */
  ConnectToRelay active(long measId, int dur, List<Long> circs) {
    ConnectToRelay c = ready(measId, dur, circs);
    go(measId);
    tor.lastActive().cb().onSuccess(null);
    return c;
  }

  static Failure failure(FailureCode code, long measId, String extraInfo) {
    return new Failure(code.wireValue(), OptionalLong.of(measId), Optional.of(extraInfo));
  }

  /** The one message sent since the last look, which must be a Failure with this code and id. */
  Failure onlyFailure(FailureCode code, long measId) {
    List<Message> sent = link.take();
    assertEquals(1, sent.size(), sent.toString());
    Failure f = (Failure) sent.get(0);
    assertEquals(code.wireValue(), f.code(), f.toString());
    assertEquals(OptionalLong.of(measId), f.measId());
    return f;
  }

  List<Long> liveIds() {
    return measurer.status().live().stream().map(MeasurerStatus.MeasurementStatus::measId).toList();
  }
}
