package org.flashflow.coord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.schedule.Planner;
import org.flashflow.coord.schedule.ScheduleFixtures;
import org.flashflow.coord.schedule.ScheduleRunner;
import org.flashflow.coord.schedule.ScheduleSettings;
import org.flashflow.coord.schedule.ScheduleState;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;

/**
 * The schedule with the real coordinator core, virtual time, a tor and measurers that answer by
 * themselves, one of them hung: once the hung measurer missed its ConnectToRelay deadline and was
 * disconnected, no slot assigns it, until it connects again.
 */
class UnresponsiveMeasurerScheduleTest {
  private static final Duration PERIOD = Duration.ofMinutes(10);
  private static final Duration SLOT = Duration.ofSeconds(30);
  private static final int DUR = 5;
  private static final long MB = 1_000_000;

  /** 5 s into a period: the schedule starts at slot 1, 25 s later. */
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:05Z");

  private final ManualLoop loop = new ManualLoop(T0);
  private final FakeResultsSink sink = new FakeResultsSink(loop);
  private final List<Started> started = new ArrayList<>();
  private final Map<Long, List<String>> measurersOf = new HashMap<>();
  private ScheduleRunner runner;

  private final Coordinator coord =
      new Coordinator(
          loop,
          new CoordSettings(
              DUR,
              0.25,
              10,
              Duration.ofSeconds(10),
              Duration.ofSeconds(5),
              Duration.ofSeconds(DUR + 15)),
          new AutoTor(),
          sink,
          (record, estimate) -> runner.measurementEnded(record, estimate),
          new Random(7));

  /** One measurement the schedule started: when, and with whom. */
  record Started(Instant at, List<String> measurers) {}

  /** Answers every command at once and reports the relay's background once a second. */
  private final class AutoTor implements TorPort {
    private long nextCirc = 1;

    @Override
    public void coordStartMeas(long measId, String relayFp, int dur, TorCallback<Long> circId) {
      loop.execute(
          () -> {
            circId.onSuccess(nextCirc++);
            coord.torEvent(new FfMeasEvent.ParamsOk(measId, true));
          });
    }

    @Override
    public void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done) {
      loop.execute(() -> done.onSuccess(null));
      for (int i = 1; i <= dur; i++) {
        loop.schedule(
            Duration.ofSeconds(i), () -> coord.torEvent(new FfMeasEvent.BwReport(measId, 10, 10)));
      }
    }

    @Override
    public void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done) {
      done.onSuccess(Optional.empty());
    }

    @Override
    public void consensus(TorCallback<List<RouterStatus>> done) {
      done.onSuccess(List.of());
    }
  }

  /** A measurer that answers as an honest one does, unless hung: then it answers nothing. */
  private final class AutoMeasurer implements MeasurerLink {
    private final String name;
    private final boolean hung;
    String closedBecause;

    AutoMeasurer(String name, boolean hung) {
      this.name = name;
      this.hung = hung;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String remoteAddress() {
      return "192.0.2.9:" + (hung ? 1 : 2);
    }

    @Override
    public void send(Message message) {
      if (hung) {
        return;
      }
      if (message instanceof ConnectToRelay c) {
        loop.execute(() -> coord.measurerMessage(this, new ConnectedToRelay(c)));
      } else if (message instanceof Go g) {
        for (int i = 1; i <= DUR; i++) {
          loop.schedule(
              Duration.ofSeconds(i),
              () ->
                  coord.measurerMessage(
                      this, new BwReport(g.measId(), loop.now().getEpochSecond(), 1000, 1000)));
        }
      }
    }

    @Override
    public void close(String reason) {
      closedBecause = reason;
      loop.execute(() -> coord.measurerDisconnected(this)); // as the channel's end would
    }
  }

  private ScheduleRunner runner() {
    // 2.5 MB/s each: one relay of 1 MB/s (2.25 MB/s needed) per measurer and slot.
    ScheduleSettings settings = ScheduleFixtures.SETTINGS;
    List<Planner.Relay> relays = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      relays.add(
          new Planner.Relay(
              String.format(Locale.ROOT, "%040X", 0xB0 + i),
              OptionalDouble.empty(),
              OptionalLong.of(MB)));
    }
    ScheduleRunner.Core core =
        new ScheduleRunner.Core() {
          @Override
          public void startMeasurement(MeasurementRequest request, StartCallback callback) {
            List<String> names =
                request.assignments().stream()
                    .map(MeasurementRequest.Assignment::measurerName)
                    .toList();
            started.add(new Started(loop.now(), names));
            coord.startMeasurement(
                request,
                new StartCallback() {
                  @Override
                  public void started(long measId, String relayFp) {
                    measurersOf.put(measId, names);
                    callback.started(measId, relayFp);
                  }

                  @Override
                  public void refused(String reason) {
                    callback.refused(reason);
                  }
                });
          }

          @Override
          public Set<String> connectedMeasurers() {
            return coord.connectedMeasurers();
          }
        };
    return new ScheduleRunner(
        loop,
        settings,
        core,
        done -> done.accept(Optional.of(relays)),
        new ScheduleRunner.StateStore() {
          @Override
          public Optional<ScheduleState> load() {
            return Optional.empty();
          }

          @Override
          public void save(ScheduleState state) {}

          @Override
          public void moveAside(String why) {}
        },
        Runnable::run,
        new Random(3),
        Duration.ofMinutes(5));
  }

  private List<Started> startedBetween(Instant from, Instant to) {
    return started.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).toList();
  }

  @Test
  void droppedMeasurerIsNotAssignedUntilItReconnects() {
    coord.torStateChanged(TorState.READY, "");
    AutoMeasurer alice = new AutoMeasurer("alice", false);
    AutoMeasurer hungBob = new AutoMeasurer("bob", true);
    coord.measurerConnected(alice);
    coord.measurerConnected(hungBob);
    runner = runner();
    runner.start();
    loop.runPending();

    // Slot 1 (30 s into the period): one relay each.
    loop.advance(Duration.ofSeconds(25));
    Instant slot1 = loop.now();
    assertEquals(2, started.size(), started.toString());
    assertTrue(
        started.stream().anyMatch(s -> s.measurers().equals(List.of("bob"))), started.toString());

    // 10 s later bob has not answered ConnectToRelay: disconnected, its measurement MEASURER_LOST.
    loop.advance(Duration.ofSeconds(10));
    assertNotNull(hungBob.closedBecause);
    assertEquals(Set.of("alice"), coord.connectedMeasurers());
    List<MeasurementRecord> lost =
        sink.records().stream()
            .filter(r -> r.failure().map(f -> f.reason() == FailReason.MEASURER_LOST).orElse(false))
            .toList();
    assertEquals(1, lost.size(), sink.records().toString());

    // Five more slots: alice measures, bob is never assigned.
    loop.advance(SLOT.multipliedBy(5));
    Instant reconnect = loop.now();
    List<Started> without = startedBetween(slot1.plusSeconds(1), reconnect);
    assertEquals(5, without.size(), without.toString());
    for (Started s : without) {
      assertEquals(List.of("alice"), s.measurers(), without.toString());
    }

    // bob comes back (a new connection under the same name): the next slot assigns it again.
    AutoMeasurer bob = new AutoMeasurer("bob", false);
    coord.measurerConnected(bob);
    loop.advance(SLOT);
    List<Started> after = startedBetween(reconnect, loop.now());
    assertTrue(after.stream().anyMatch(s -> s.measurers().contains("bob")), after.toString());
    List<MeasurementRecord> withBob =
        sink.records().stream()
            .filter(r -> r.beginTs() >= reconnect.getEpochSecond())
            .filter(r -> measurersOf.get(r.measId()).contains("bob"))
            .toList();
    assertEquals(1, withBob.size(), sink.records().toString());
    assertTrue(withBob.get(0).completed(), withBob.toString());
    assertEquals(Set.of("alice", "bob"), coord.connectedMeasurers());
  }
}
