package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The wall clock stepped back 1 hour and forward 1 day, while measurements run and between slots,
 * in virtual time with the whole coordinator and its schedule ({@link SimDeployment}): timers run
 * on the monotonic clock and are not moved by a step, as under Netty. Must hold: nothing throws; no
 * period gets a schedule twice (the periods of the saved state never go back); every period that
 * the clock did not jump away from ends with every relay measured; nothing is left running.
 */
class ClockStepTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration PERIOD = Duration.ofHours(1);

  private final SimDeployment sim =
      new SimDeployment(
          T0, 15, 60, 2, 50_000_000, PERIOD, Duration.ofSeconds(30), 5, SimDeployment.Faults.NONE);

  /** The saved state's period after every virtual second, and the last state of each period. */
  private final List<Long> periods = new ArrayList<>();

  private final Map<Long, ScheduleState> lastState = new TreeMap<>();
  private final Set<Long> jumpedAway = new TreeSet<>();

  private void run(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      sim.loop.advance(Duration.ofSeconds(1));
      sim.saved()
          .ifPresent(
              st -> {
                if (periods.isEmpty() || periods.get(periods.size() - 1) != st.period()) {
                  periods.add(st.period());
                }
                lastState.put(st.period(), st);
              });
    }
  }

  /** Runs until a measurement is in its active phase (Go sent). */
  private void untilActive() {
    for (int i = 0; i < 4200; i++) {
      if (sim.coord.status().measurements().stream()
          .anyMatch(m -> m.phase().name().equals("ACTIVE"))) {
        return;
      }
      run(Duration.ofSeconds(1));
    }
    throw new AssertionError("no measurement became active in 70 min");
  }

  /** Runs until no measurement is live, just after one ended (between slots). */
  private void untilIdle() {
    untilActive();
    for (int i = 0; i < 60; i++) {
      if (sim.liveMeasurements() == 0) {
        return;
      }
      run(Duration.ofSeconds(1));
    }
    throw new AssertionError("measurements still live after 60 s");
  }

  private long periodNow() {
    return sim.settings.clock().periodIndex(sim.loop.now());
  }

  @Test
  void stepsBackAndForwardDuringMeasurementsAndBetweenSlots() {
    run(Duration.ofMinutes(2));
    untilActive();
    sim.loop.stepWallClock(Duration.ofHours(-1)); // back into the previous period, mid-measurement
    run(Duration.ofMinutes(100));

    untilIdle();
    jumpedAway.add(periodNow());
    sim.loop.stepWallClock(Duration.ofDays(1)); // forward a day, between slots
    run(Duration.ofMinutes(80));

    untilIdle();
    sim.loop.stepWallClock(Duration.ofHours(-1)); // back an hour, between slots
    run(Duration.ofMinutes(90));

    untilActive();
    jumpedAway.add(periodNow());
    sim.loop.stepWallClock(Duration.ofDays(1)); // forward a day, mid-measurement
    run(Duration.ofMinutes(75));

    for (int i = 1; i < periods.size(); i++) {
      assertTrue(
          periods.get(i) > periods.get(i - 1),
          "a period got a schedule again (saved periods in order: " + periods + ")");
    }
    assertTrue(periods.size() >= 6, "periods scheduled: " + periods);
    // Every period the clock did not leave for good, but the last (still running), is complete.
    for (Map.Entry<Long, ScheduleState> e : lastState.entrySet()) {
      long p = e.getKey();
      if (jumpedAway.contains(p) || p == periods.get(periods.size() - 1)) {
        continue;
      }
      List<String> notDone =
          e.getValue().entries().stream()
              .filter(x -> x.state() != Planner.State.DONE)
              .map(x -> x.fp() + " " + x.state())
              .toList();
      assertEquals(List.of(), notDone, "period " + p + " ended with relays not measured");
      assertEquals(60, e.getValue().entries().size(), "period " + p);
    }

    sim.stop();
    run(Duration.ofMinutes(2));
    assertEquals(0, sim.liveMeasurements(), "measurements stuck");
    assertEquals(0, sim.measurerLive(), "measurers still measuring");
    assertEquals(0, sim.loop.pendingTimers(), "timers left");
    assertEquals(0, sim.loop.pendingTasks(), "tasks left");
  }
}
