package org.flashflow.coord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorState;

/**
 * A coordinator wired to fakes and virtual time, with the steps of docs/protocol.md section 4 as
 * one-line helpers so that each test shows only what it is about.
 */
final class Harness {
  static final Instant T0 = Instant.parse("2020-07-14T20:00:00Z");
  static final String FP1 = "ABABABABABABABABABABABABABABABABABABABAB";
  static final String FP2 = "0123456789ABCDEF0123456789ABCDEF01234567";
  static final String FP3 = "FEDCBA9876543210FEDCBA9876543210FEDCBA98";

  /** What the observer heard. */
  record Ended(MeasurementRecord record, OptionalDouble estimate) {}

  /** The answer a start request got. */
  static final class Answer implements StartCallback {
    long measId = -1;
    String fp;
    String refused;
    int calls;

    @Override
    public void started(long measId, String relayFp) {
      this.measId = measId;
      this.fp = relayFp;
      calls++;
    }

    @Override
    public void refused(String reason) {
      this.refused = reason;
      calls++;
    }
  }

  final ManualLoop loop = new ManualLoop(T0);
  final FakeTor tor = new FakeTor();
  final FakeResultsSink sink = new FakeResultsSink(loop);
  final List<Ended> ended = new ArrayList<>();
  final CoordSettings settings;
  final Coordinator coord;
  private long nextCirc = 100;

  Harness(CoordSettings settings) {
    this.settings = settings;
    this.coord =
        new Coordinator(
            loop,
            settings,
            tor,
            sink,
            (record, estimate) -> ended.add(new Ended(record, estimate)),
            new Random(42));
    tor.addRelay("relay1", FP1);
    tor.addRelay("relay2", FP2);
    tor.addRelay("relay3", FP3);
  }

  Harness ready() {
    coord.torStateChanged(TorState.READY, "");
    return this;
  }

  FakeLink connect(String name) {
    FakeLink link = new FakeLink(name, "192.0.2." + (name.length() + 10) + ":4321");
    coord.measurerConnected(link);
    return link;
  }

  /** Starts measuring {@code fp} with {@code links} (circuits split evenly); returns the answer. */
  Answer request(String fp, FakeLink... links) {
    List<String> names = Arrays.stream(links).map(FakeLink::name).toList();
    Answer answer = new Answer();
    coord.startMeasurement(MeasurementRequest.evenSplit(fp, names, settings.numCircs()), answer);
    return answer;
  }

  /** The most recently started measurement's id (the first COORD_START_MEAS not launched yet). */
  long lastMeasId() {
    return tor.starts.get(tor.starts.size() - 1).measId();
  }

  /** tor launches the circuit; returns its id. */
  long launch(long measId) {
    long circ = nextCirc++;
    tor.start(measId).callback().onSuccess(circ);
    return circ;
  }

  void accept(long measId) {
    coord.torEvent(new FfMeasEvent.ParamsSent(measId));
    coord.torEvent(new FfMeasEvent.ParamsOk(measId, true));
  }

  ConnectToRelay asked(FakeLink link, long measId) {
    List<ConnectToRelay> c =
        link.sent(ConnectToRelay.class).stream().filter(m -> m.measId() == measId).toList();
    assertEquals(1, c.size(), link + " asked to connect for " + measId);
    return c.get(0);
  }

  void connected(FakeLink link, long measId) {
    coord.measurerMessage(link, new ConnectedToRelay(asked(link, measId)));
  }

  /** Everything up to Go: launch, accept, every measurer ready, tor's second OK. */
  long startToActive(String fp, FakeLink... links) {
    Answer answer = request(fp, links);
    long id = lastMeasId();
    launch(id);
    assertEquals(id, answer.measId);
    accept(id);
    for (FakeLink l : links) {
      connected(l, id);
    }
    tor.active(id).callback().onSuccess(null);
    return id;
  }

  void bg(long measId, long sent, long recv) {
    coord.torEvent(new FfMeasEvent.BwReport(measId, sent, recv));
  }

  void report(FakeLink link, long measId, long recv) {
    coord.measurerMessage(
        link, new BwReport(measId, loop.now().toEpochMilli() / 1000.0, recv + 7, recv));
  }

  void fail(FakeLink link, long measId, int code, String info) {
    coord.measurerMessage(
        link, new Failure(code, java.util.OptionalLong.of(measId), java.util.Optional.of(info)));
  }

  void tick() {
    loop.advance(Duration.ofSeconds(1));
  }

  /** The only record written so far. */
  MeasurementRecord onlyRecord() {
    loop.runPending();
    assertEquals(1, sink.writes.size(), "records written: " + sink.records());
    return sink.writes.get(0).record();
  }

  MeasurementRecord record(long measId) {
    loop.runPending();
    List<MeasurementRecord> r = sink.records().stream().filter(x -> x.measId() == measId).toList();
    assertEquals(1, r.size(), "records of " + measId + ": " + sink.records());
    return r.get(0);
  }

  void assertFailed(long measId, FailReason reason, String detail) {
    MeasurementRecord r = record(measId);
    assertTrue(r.failure().isPresent(), "failed: " + r);
    assertEquals(reason, r.failure().get().reason(), r.toString());
    assertEquals(detail, r.failure().get().detail());
    assertTrue(r.seconds().isEmpty());
  }

  /** The Failure messages {@code link} got for {@code measId}. */
  List<Failure> failuresTo(FakeLink link, long measId) {
    return link.sent(Failure.class).stream()
        .filter(f -> f.measId().isPresent() && f.measId().getAsLong() == measId)
        .toList();
  }

  int live() {
    return coord.status().measurements().size();
  }
}
