package org.flashflow.coord.schedule;

import static org.flashflow.coord.schedule.ScheduleFixtures.PERIOD;
import static org.flashflow.coord.schedule.ScheduleFixtures.SETTINGS;
import static org.flashflow.coord.schedule.ScheduleFixtures.SLOT;
import static org.flashflow.coord.schedule.ScheduleFixtures.T0;
import static org.flashflow.coord.schedule.ScheduleFixtures.fingerprints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.schedule.ScheduleFixtures.FakeCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule's stall alarm in virtual time: each cause (tor down, no measurers, every measurement
 * failing the same way), one WARN per period, the metric, {@code status} and its JSON, and no alarm
 * while the schedule moves or has nothing due.
 */
class StallAlarmTest {
  private static final Duration STALL_AFTER = Duration.ofMinutes(2);

  @TempDir Path dir;

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
  private final FakeCore core = new FakeCore(loop);
  private final Metrics metrics = new Metrics();

  private ScheduleRunner start(int relays) {
    List<Planner.Relay> list = ScheduleFixtures.relays(fingerprints(relays));
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
            metrics,
            LoggedOutcomes.NONE);
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
