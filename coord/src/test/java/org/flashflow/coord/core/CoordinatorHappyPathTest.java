package org.flashflow.coord.core;

import static org.flashflow.coord.core.Harness.FP1;
import static org.flashflow.coord.core.Harness.FP2;
import static org.flashflow.coord.core.Harness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.flashflow.coord.core.MeasurementRecord.Second;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.Go;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.FfMeasEvent;
import org.junit.jupiter.api.Test;

class CoordinatorHappyPathTest {

  @Test
  void oneMeasurerOddCount() {
    Harness h = new Harness(CoordSettings.of(3, 0.25)).ready();
    FakeLink alice = h.connect("alice");
    Harness.Answer answer = h.request(FP1, alice);
    long id = h.lastMeasId();
    assertEquals(0, answer.calls, "answer waits for tor's LAUNCHED");
    assertEquals(MeasurementPhase.LAUNCHING, phase(h));
    assertEquals(3, h.tor.start(id).dur());
    assertEquals(FP1, h.tor.start(id).fp());
    long circ = h.launch(id);
    assertEquals(1, answer.calls);
    assertEquals(id, answer.measId);
    assertEquals(FP1, answer.fp);
    assertEquals(MeasurementPhase.WAITING_FOR_RELAY, phase(h));
    h.coord.torEvent(new CircEvent(circ, CircEvent.CircStatus.BUILT, java.util.Optional.empty()));
    assertTrue(alice.sent.isEmpty(), "nothing to measurers before PARAMS_OK");
    h.accept(id);
    assertEquals(MeasurementPhase.CONNECTING_MEASURERS, phase(h));
    assertEquals(new ConnectToRelay(id, FP1, 160, 3, OptionalLong.empty()), h.asked(alice, id));
    h.connected(alice, id);
    assertEquals(MeasurementPhase.STARTING_ACTIVE, phase(h));
    assertTrue(alice.sent(Go.class).isEmpty(), "Go waits for tor's second OK");
    h.tor.active(id).callback().onSuccess(null);
    assertEquals(MeasurementPhase.ACTIVE, phase(h));
    assertEquals(List.of(new Go(id)), alice.sent(Go.class));

    h.tick();
    h.bg(id, 100, 200);
    h.report(alice, id, 1000);
    h.tick();
    h.bg(id, 300, 300);
    h.report(alice, id, 3000);
    h.tick();
    h.report(alice, id, 2000);
    assertEquals(3, h.coord.status().measurements().get(0).dur());
    assertEquals(2, h.coord.status().measurements().get(0).secondsDone());
    h.bg(id, 0, 50);

    MeasurementRecord r = h.onlyRecord();
    assertTrue(r.completed());
    assertEquals(id, r.measId());
    assertEquals(FP1, r.relayFp());
    assertEquals(T0.getEpochSecond() + 1, r.beginTs(), "time of the first background report");
    assertEquals(
        List.of(
            new Second(List.of(1000L), 100, 333),
            new Second(List.of(3000L), 300, 1000),
            new Second(List.of(2000L), 0, 666)),
        r.seconds());
    // totals 1100, 3300, 2000
    assertEquals(1, h.ended.size());
    assertEquals(2000.0, h.ended.get(0).estimate().getAsDouble());
    assertEquals(0, h.live());
    assertEquals(1, h.coord.status().completed());
    assertEquals(0, h.coord.status().failed());
    assertTrue(alice.sent(Failure.class).isEmpty());
    assertEquals(0, h.loop.pendingTimers(), "every timer cancelled");
  }

  @Test
  void twoMeasurersLiarCappedEvenCountMedian() {
    Harness h = new Harness(CoordSettings.of(4, 0.25)).ready();
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    long id = h.startToActive(FP2, alice, bob);
    assertEquals(80, h.asked(alice, id).nCircs());
    assertEquals(80, h.asked(bob, id).nCircs());

    long[] a = {1000, 2000, 3000, 4000};
    for (int i = 0; i < 4; i++) {
      h.tick();
      // the relay claims a million bytes of background every second
      h.bg(id, 1_000_000, 2_000_000);
      h.report(bob, id, 500);
      h.report(alice, id, a[i]);
    }
    MeasurementRecord r = h.onlyRecord();
    // measured 1500, 2500, 3500, 4500 -> max_bg 500, 833, 1166, 1500
    assertEquals(
        List.of(
            new Second(List.of(1000L, 500L), 1_000_000, 500),
            new Second(List.of(2000L, 500L), 1_000_000, 833),
            new Second(List.of(3000L, 500L), 1_000_000, 1166),
            new Second(List.of(4000L, 500L), 1_000_000, 1500)),
        r.seconds());
    // totals 2000, 3333, 4666, 6000: median of an even count is the mean of the middle two
    assertEquals(3999.5, h.ended.get(0).estimate().getAsDouble());
  }

  @Test
  void reportsArePairedByPositionNotArrival() {
    Harness h = new Harness(CoordSettings.of(2, 0.5)).ready();
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    long id = h.startToActive(FP1, alice, bob);
    h.report(alice, id, 10);
    h.report(alice, id, 20);
    h.tick();
    h.bg(id, 5, 5);
    h.report(bob, id, 1);
    h.tick();
    h.bg(id, 7, 9);
    h.bg(id, 999, 999); // beyond dur: ignored
    h.report(alice, id, 999); // beyond dur: ignored
    h.report(bob, id, 2);
    MeasurementRecord r = h.onlyRecord();
    // r = 0.5: max_bg = measured
    assertEquals(
        List.of(new Second(List.of(10L, 1L), 5, 11), new Second(List.of(20L, 2L), 7, 22)),
        r.seconds());
    assertEquals((16 + 29) / 2.0, h.ended.get(0).estimate().getAsDouble());
  }

  @Test
  void backgroundBeforeGoCountsAndCircuitCloseAfterTheLastBackgroundReportIsNormal() {
    Harness h = new Harness(CoordSettings.of(2, 0.25)).ready();
    FakeLink alice = h.connect("alice");
    h.request(FP1, alice);
    long id = h.lastMeasId();
    long circ = h.launch(id);
    h.accept(id);
    h.connected(alice, id);
    h.loop.advance(Duration.ofMillis(500));
    h.bg(id, 10, 10); // tor's BW_REPORT overtook the reply to the second COORD_START_MEAS
    h.tor.active(id).callback().onSuccess(null);
    h.tick();
    h.bg(id, 10, 10);
    h.coord.torEvent(new FfMeasEvent.End(id, true));
    h.coord.torEvent(
        new CircEvent(circ, CircEvent.CircStatus.CLOSED, java.util.Optional.of("FINISHED")));
    h.report(alice, id, 300);
    h.tick();
    h.report(alice, id, 300);
    MeasurementRecord r = h.onlyRecord();
    assertTrue(r.completed(), r.toString());
    assertEquals(T0.getEpochSecond(), r.beginTs());
  }

  @Test
  void twoMeasurementsAtOnceShareAMeasurer() {
    Harness h = new Harness(CoordSettings.of(2, 0.25)).ready();
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    long m1 = h.startToActive(FP1, alice, bob);
    long m2 = h.startToActive(FP2, alice);
    assertTrue(m1 != m2);
    assertEquals(2, h.coord.status().measurers().get(0).liveMeasurements(), "alice in both");
    for (int i = 0; i < 2; i++) {
      h.tick();
      h.bg(m1, 100, 100);
      h.bg(m2, 0, 0);
      h.report(alice, m1, 1000);
      h.report(alice, m2, 2000);
      h.report(bob, m1, 3000);
    }
    assertEquals(4100.0, estimateOf(h, m1));
    assertEquals(2000.0, estimateOf(h, m2));
    assertEquals(2, h.coord.status().completed());
  }

  private static MeasurementPhase phase(Harness h) {
    return h.coord.status().measurements().get(0).phase();
  }

  private static double estimateOf(Harness h, long id) {
    h.loop.runPending();
    return h.ended.stream()
        .filter(e -> e.record().measId() == id)
        .findFirst()
        .orElseThrow()
        .estimate()
        .getAsDouble();
  }
}
