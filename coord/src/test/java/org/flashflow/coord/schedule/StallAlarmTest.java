package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.StartCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule's stall alarm in virtual time: each cause (tor down, no measurers, every measurement
 * failing the same way), one WARN per period, the metric, {@code status} and its JSON, and no alarm
 * while the schedule moves or has nothing due.
 */
class StallAlarmTest {
  private static final Duration PERIOD = Duration.ofMinutes(10);
  private static final Duration SLOT = Duration.ofSeconds(30);
  private static final Duration STALL_AFTER = Duration.ofMinutes(2);
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:05Z");
  private static final long MB = 1_000_000;
  private static final ScheduleSettings SETTINGS =
      new ScheduleSettings(
          PERIOD,
          SLOT,
          2.25,
          10,
          ScheduleSettings.LIMIT_FRACTION,
          true,
          ScheduleSettings.Prior.ADVERTISED,
          ScheduleSettings.MAX_ATTEMPTS,
          new Capacities(Map.of("alice", 5 * MB / 2, "bob", 5 * MB / 2), 100));

  @TempDir Path dir;

  /** A core whose tor, measurers and outcomes the test sets. */
  static final class Core implements ScheduleRunner.Core {
    final ManualLoop loop;
    final Set<String> connected = new TreeSet<>(Set.of("alice", "bob"));
    Optional<String> torProblem = Optional.empty();
    Optional<FailReason> failWith = Optional.empty();
    int failures;
    ScheduleRunner runner;
    private long nextId = 1;

    Core(ManualLoop loop) {
      this.loop = loop;
    }

    @Override
    public void startMeasurement(MeasurementRequest request, StartCallback callback) {
      if (torProblem.isPresent()) {
        callback.refused("lost the connection to tor");
        return;
      }
      long id = nextId++;
      String fp = request.relayFp();
      callback.started(id, fp);
      Optional<FailReason> fail = failWith;
      long given = request.assignments().stream().mapToLong(a -> a.bw().orElseThrow()).sum();
      List<Long> recv = request.assignments().stream().map(a -> a.bw().getAsLong() / 2).toList();
      loop.schedule(
          Duration.ofSeconds(20),
          () -> {
            long ts = loop.now().getEpochSecond();
            if (fail.isPresent()) {
              failures++;
              runner.measurementEnded(
                  new MeasurementRecord(
                      id,
                      fp,
                      ts,
                      List.of(),
                      Optional.of(new MeasurementRecord.Failed(fail.get(), "circuit closed")),
                      OptionalLong.empty()),
                  OptionalDouble.empty());
            } else {
              runner.measurementEnded(
                  new MeasurementRecord(
                      id,
                      fp,
                      ts,
                      List.of(new MeasurementRecord.Second(recv, 0, 0)),
                      Optional.empty(),
                      OptionalLong.empty()),
                  OptionalDouble.of(given / 2.0));
            }
          });
    }

    @Override
    public Set<String> connectedMeasurers() {
      return Set.copyOf(connected);
    }

    @Override
    public Optional<String> torProblem() {
      return torProblem;
    }
  }

  /** Records what the alarm tells the metrics. */
  static final class Metrics implements CoordMetrics {
    final List<Optional<String>> stalled = new ArrayList<>();

    @Override
    public void scheduleStalled(Optional<String> reason) {
      stalled.add(reason);
    }

    Optional<String> last() {
      return stalled.get(stalled.size() - 1);
    }
  }

  private final ManualLoop loop = new ManualLoop(T0);
  private final Core core = new Core(loop);
  private final Metrics metrics = new Metrics();

  private ScheduleRunner start(int relays) {
    List<Planner.Relay> list = new ArrayList<>();
    for (int i = 0; i < relays; i++) {
      list.add(
          new Planner.Relay(
              String.format(Locale.ROOT, "%040X", 0xA0 + i),
              OptionalDouble.empty(),
              OptionalLong.of(MB)));
    }
    ScheduleRunner r =
        new ScheduleRunner(
            loop,
            SETTINGS,
            core,
            done -> done.accept(Optional.of(list)),
            new StateFile(dir.resolve("state.json"), PERIOD, SLOT, Clock.fixed(T0, ZoneOffset.UTC)),
            Runnable::run,
            new Random(7),
            Duration.ofMinutes(5),
            STALL_AFTER,
            metrics);
    core.runner = r;
    r.start();
    loop.runPending();
    return r;
  }

  private static String reason(ScheduleRunner r) {
    return r.stall().map(ScheduleRunner.Stall::reason).orElse("none");
  }

  @Test
  void torDownRingsAfterStallAfterWithOneWarnAPeriodAndClearsWhenMeasurementsComplete() {
    core.torProblem = Optional.of("tor is LOST (connection refused)");
    ScheduleRunner r = start(10);
    // Relays due from the first slot at 00:00:30; 2 min later is 00:02:30.
    loop.advance(Duration.ofSeconds(130)); // 00:02:15
    assertEquals("none", reason(r));
    assertEquals(Optional.empty(), metrics.last());
    loop.advance(Duration.ofSeconds(30)); // 00:02:45
    assertEquals("tor_down", reason(r));
    assertEquals(Optional.of("tor_down"), metrics.last());
    assertEquals("tor is LOST (connection refused)", r.stall().orElseThrow().detail());
    assertEquals(Instant.parse("2030-01-01T00:00:30Z"), r.stall().orElseThrow().since());
    assertEquals(1, r.stallAlarm().warnings());
    String status = String.join("\n", r.statusLines());
    assertTrue(
        status.contains(
            "schedule STALLED since 2030-01-01T00:00:30Z: tor is LOST (connection refused)"
                + " [tor_down]"),
        status);
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) r.statusJson().get("stall");
    assertEquals(true, json.get("stalled"));
    assertEquals("tor_down", json.get("reason"));
    assertEquals("2030-01-01T00:00:30Z", json.get("since"));

    loop.advance(Duration.ofMinutes(7)); // 00:09:45, same period
    assertEquals(1, r.stallAlarm().warnings(), "one WARN a period");
    loop.advance(Duration.ofMinutes(1)); // 00:10:45, the next period
    assertEquals("tor_down", reason(r));
    assertEquals(2, r.stallAlarm().warnings(), "again in the next period");

    core.torProblem = Optional.empty();
    loop.advance(Duration.ofMinutes(1));
    assertEquals("none", reason(r), "a completed measurement clears it");
    assertEquals(Optional.empty(), metrics.last());
    assertEquals(false, ((Map<?, ?>) r.statusJson().get("stall")).get("stalled"));
  }

  @Test
  void noMeasurers() {
    core.connected.clear();
    ScheduleRunner r = start(10);
    loop.advance(Duration.ofMinutes(3));
    assertEquals("no_measurers", reason(r));
    assertEquals("no measurer is connected", r.stall().orElseThrow().detail());
    assertEquals(Optional.of("no_measurers"), metrics.last());
    assertEquals(1, r.stallAlarm().warnings());
  }

  @Test
  void everyMeasurementFailingTheSameWayGivesTheReasonAndCount() {
    core.failWith = Optional.of(FailReason.CIRC_FAILED);
    ScheduleRunner r = start(10);
    loop.advance(Duration.ofMinutes(3));
    assertEquals("measurements_failing", reason(r));
    Matcher m =
        Pattern.compile("every scheduled measurement failed: (\\d+) x CIRC_FAILED")
            .matcher(r.stall().orElseThrow().detail());
    assertTrue(m.matches(), r.stall().orElseThrow().detail());
    assertTrue(Integer.parseInt(m.group(1)) >= 4, m.group(1));
    assertEquals(core.failures, Integer.parseInt(m.group(1)), "every failure since it began");
    assertEquals(Optional.of("measurements_failing"), metrics.last());
  }

  @Test
  void noAlarmWhileMeasurementsCompleteOrNothingIsDue() {
    ScheduleRunner r = start(10);
    // 10 relays, two a slot: all measured by about 00:03:00; then nothing is due for 7 minutes.
    loop.advance(Duration.ofMinutes(9));
    assertEquals("none", reason(r));
    assertEquals(0, r.stallAlarm().warnings());
    assertTrue(metrics.stalled.stream().allMatch(Optional::isEmpty), metrics.stalled.toString());
  }
}
