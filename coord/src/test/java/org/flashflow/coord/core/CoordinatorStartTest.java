package org.flashflow.coord.core;

import static org.flashflow.coord.core.Harness.FP1;
import static org.flashflow.coord.core.Harness.FP2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;

/**
 * Starting measurements: refusals, relay lookup, circuit split, meas_ids, status, the loop guard.
 */
class CoordinatorStartTest {
  private final Harness h = new Harness(CoordSettings.defaults());

  private String measureRefusal(String relay) {
    Harness.Answer a = new Harness.Answer();
    h.coord.measure(relay, a);
    assertEquals(1, a.calls);
    return a.refused;
  }

  @Test
  void refusedUntilTorIsReady() {
    h.connect("alice");
    assertEquals("tor is not ready yet", measureRefusal(FP1));
    h.coord.torStateChanged(TorState.CONNECTING, "authenticating");
    assertEquals("tor is not ready yet (authenticating)", measureRefusal(FP1));
    h.coord.torStateChanged(TorState.NO_FLASHFLOW, "stock tor 0.4.9.1");
    assertEquals(
        "tor does not support FlashFlow (FF_MEAS missing from events/names)", measureRefusal(FP1));
    h.coord.torStateChanged(TorState.LOST, "connection refused");
    assertEquals("lost the connection to tor (connection refused)", measureRefusal(FP1));
    assertTrue(h.tor.lookups.isEmpty());
    assertTrue(h.tor.starts.isEmpty());
    assertEquals(TorState.LOST, h.coord.status().torState());
    assertEquals("connection refused", h.coord.status().torDetail());
  }

  @Test
  void refusedWithoutMeasurers() {
    h.ready();
    assertEquals("no measurers connected", measureRefusal(FP1));
  }

  @Test
  void refusedForUnknownRelayOrFailedLookup() {
    h.ready().connect("alice");
    assertEquals("unknown relay nobody (not in tor's consensus)", measureRefusal("nobody"));
    h.tor.lookupFailure = java.util.Optional.of(TorFailure.timeout("no answer in 10 s"));
    assertEquals(
        "could not look up relay relay1: TIMEOUT: no answer in 10 s", measureRefusal("relay1"));
    assertTrue(h.tor.starts.isEmpty());
    assertTrue(h.sink.writes.isEmpty(), "a refused start leaves no record");
  }

  @Test
  void measureByNicknameSplitsCircuitsOverEveryConnectedMeasurer() {
    h.ready();
    FakeLink carol = h.connect("carol");
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    Harness.Answer a = new Harness.Answer();
    h.coord.measure("relay2", a);
    assertEquals(List.of("relay2"), h.tor.lookups);
    long id = h.lastMeasId();
    assertEquals(FP2, h.tor.start(id).fp());
    h.launch(id);
    assertEquals(FP2, a.fp);
    h.accept(id);
    // 160 = 54 + 53 + 53, in name order
    assertEquals(new ConnectToRelay(id, FP2, 54, 30, OptionalLong.empty()), h.asked(alice, id));
    assertEquals(53, h.asked(bob, id).nCircs());
    assertEquals(53, h.asked(carol, id).nCircs());
    assertEquals(
        List.of("alice", "bob", "carol"), h.coord.status().measurements().get(0).measurers());
  }

  @Test
  void scheduleStyleRequestCarriesBandwidthShares() {
    h.ready();
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    h.coord.startMeasurement(
        new MeasurementRequest(
            FP1,
            List.of(
                new Assignment("bob", 10, OptionalLong.of(5_000_000)),
                new Assignment("alice", 20, OptionalLong.empty()))),
        new Harness.Answer());
    long id = h.lastMeasId();
    h.launch(id);
    h.accept(id);
    assertEquals(new ConnectToRelay(id, FP1, 10, 30, OptionalLong.of(5_000_000)), h.asked(bob, id));
    assertEquals(new ConnectToRelay(id, FP1, 20, 30, OptionalLong.empty()), h.asked(alice, id));
  }

  @Test
  void refusedWhenAnAssignedMeasurerIsMissingOrTheRelayIsBusy() {
    h.ready();
    FakeLink alice = h.connect("alice");
    Harness.Answer a = new Harness.Answer();
    h.coord.startMeasurement(MeasurementRequest.evenSplit(FP1, List.of("alice", "zed"), 2), a);
    assertEquals("measurer zed is not connected", a.refused);
    h.request(FP1, alice);
    long id = h.lastMeasId();
    Harness.Answer again = h.request(FP1, alice);
    assertEquals("relay " + FP1 + " is already being measured (meas_id " + id + ")", again.refused);
    assertEquals(1, h.tor.starts.size());
  }

  @Test
  void measIdsAreInRangeAndUniqueAmongLiveOnes() {
    Deque<Long> script = new ArrayDeque<>(List.of(0L, 0x1_0000_0000L, 77L, 77L, 0xFFFF_FFFFL));
    Random scripted =
        new Random() {
          private static final long serialVersionUID = 1L;

          @Override
          public long nextLong() {
            return script.pop();
          }
        };
    ManualLoop loop = new ManualLoop(Harness.T0);
    FakeTor tor = new FakeTor();
    Coordinator c =
        new Coordinator(
            loop,
            CoordSettings.defaults(),
            tor,
            new FakeResultsSink(loop),
            MeasurementObserver.none(),
            scripted);
    c.torStateChanged(TorState.READY, "");
    c.measurerConnected(new FakeLink("alice", "a"));
    c.startMeasurement(
        MeasurementRequest.evenSplit(FP1, List.of("alice"), 1), new Harness.Answer());
    c.startMeasurement(
        MeasurementRequest.evenSplit(FP2, List.of("alice"), 1), new Harness.Answer());
    // 0 and 2^32 (masked to 0) are out of range; the second 77 is taken
    assertEquals(77L, tor.starts.get(0).measId());
    assertEquals(0xFFFF_FFFFL, tor.starts.get(1).measId());
  }

  @Test
  void statusSnapshot() {
    h.ready();
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    long id = h.startToActive(FP1, alice);
    h.tick();
    h.bg(id, 1, 1);
    h.report(alice, id, 1);
    CoordinatorStatus s = h.coord.status();
    assertEquals(TorState.READY, s.torState());
    assertEquals(
        List.of(
            new CoordinatorStatus.MeasurerStatus("alice", alice.remoteAddress(), 1),
            new CoordinatorStatus.MeasurerStatus("bob", bob.remoteAddress(), 0)),
        s.measurers());
    assertEquals(
        List.of(
            new CoordinatorStatus.MeasurementStatus(
                id, FP1, MeasurementPhase.ACTIVE, 1, 30, List.of("alice"))),
        s.measurements());
    h.loop.advance(Duration.ofSeconds(10));
    assertEquals(0, h.coord.status().measurements().size());
    assertEquals(1, h.coord.status().failed());
    assertEquals(0, s.failed(), "a snapshot does not change");
  }

  @Test
  void entryPointsRefuseOtherThreads() {
    h.ready();
    assertThrows(
        IllegalStateException.class,
        () -> runElsewhere(() -> h.coord.measurerConnected(new FakeLink("alice", "a"))));
    assertTrue(h.coord.status().measurers().isEmpty());
    assertThrows(IllegalStateException.class, () -> runElsewhere(h.coord::status));
    assertThrows(IllegalStateException.class, () -> runElsewhere(h.coord::shutdown));
  }

  private static void runElsewhere(Runnable r) throws Throwable {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                r.run();
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    t.join();
    if (thrown.get() != null) {
      throw thrown.get();
    }
  }
}
