package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A simulated day (docs/testing.md, "Soak"): the whole coordinator with its schedule on {@link
 * SimDeployment} in virtual time, 8,000 relays, 4 measurers, periods of 1 hour (24 of them), and a
 * few percent of every kind of failure: measurers failing to connect, relays refusing, tor commands
 * failing, tor's control connection dropping now and then, reports arriving up to 3 s late. Must
 * hold: every relay measured in each period (the planner keeps the last slots for retries) and none
 * twice; the heap after GC flat between hour 2 and the end; no timer, task or measurement left once
 * the schedule is stopped.
 *
 * <p>{@code -Dflashflow.soak.hours=N} sets the length: 6 virtual hours by default (CI), 24 for the
 * full day (docs/benchmarks.md, "Soak").
 */
class SoakTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final int RELAYS = 8_000;

  /** Growth of the heap after GC allowed between hour 2 and the end. */
  private static final long HEAP_TOLERANCE = 8L << 20;

  @Test
  void aSimulatedDay() {
    int hours = Integer.getInteger("flashflow.soak.hours", 6);
    long wallStart = System.nanoTime();
    SimDeployment sim =
        new SimDeployment(
            T0,
            2026,
            RELAYS,
            4,
            150_000_000,
            Duration.ofHours(1),
            Duration.ofSeconds(30),
            5,
            new SimDeployment.Faults(0.01, 0.01, 0.01, 0.02, Duration.ofMinutes(40)));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Map<Integer, Long> heapMb = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    long p0 = sim.period(T0.getEpochSecond());
    for (int h = 1; h <= hours; h++) {
      sim.loop.advance(Duration.ofHours(1));
      if (h >= 2) {
        check(sim, p0 + h - 2, problems);
        sim.rollRecorded();
      }
      System.gc();
      heapMb.put(h, memory.getHeapMemoryUsage().getUsed());
    }
    sim.stop();
    sim.loop.advance(Duration.ofMinutes(5));
    check(sim, p0 + hours - 1, problems);
    long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
    System.out.printf(
        "soak: %d virtual hours, %d relays, %d records, %d tor disconnects in %d ms wall;"
            + " heap after GC (MiB) by hour: %s%n",
        hours, RELAYS, sim.records, sim.torDisconnects, wallMs, mib(heapMb));

    assertEquals(List.of(), problems);
    assertEquals(List.of(), sim.closes, "measurers the coordinator closed");
    assertTrue(sim.torDisconnects >= hours, "tor disconnects: " + sim.torDisconnects);
    if (hours >= 3) {
      long growth = heapMb.get(hours) - heapMb.get(2);
      assertTrue(
          growth <= HEAP_TOLERANCE,
          "heap after GC grew by "
              + (growth >> 20)
              + " MiB between hour 2 and hour "
              + hours
              + ": "
              + mib(heapMb));
    }
    assertEquals(0, sim.liveMeasurements(), "measurements left");
    assertEquals(0, sim.measurerLive(), "measurers still measuring");
    assertEquals(0, sim.loop.pendingTimers(), "timers left");
    assertEquals(0, sim.loop.pendingTasks(), "tasks left");
  }

  private static void check(SimDeployment sim, long period, List<String> problems) {
    SimDeployment.PeriodTally t = sim.take(period);
    System.out.printf(
        "soak: period %d: %d of %d relays measured, %d failed measurements%n",
        period, t.ends.size(), RELAYS, t.failed);
    long twice = t.ends.values().stream().filter(n -> n > 1).count();
    if (t.ends.size() < RELAYS || twice > 0 || t.duplicateEnds > 0) {
      problems.add(
          "period "
              + period
              + ": "
              + t.ends.size()
              + " relays measured of "
              + RELAYS
              + ", "
              + twice
              + " measured twice, "
              + t.duplicateEnds
              + " duplicate records, "
              + t.failed
              + " failed measurements");
    }
  }

  private static Map<Integer, Long> mib(Map<Integer, Long> bytes) {
    Map<Integer, Long> m = new TreeMap<>();
    bytes.forEach((h, b) -> m.put(h, b >> 20));
    return m;
  }
}
