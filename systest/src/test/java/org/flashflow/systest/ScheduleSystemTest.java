package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.RelayEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic schedule over loopback with the emulated network and a short period (60 s, 5 s
 * slots, 2 s measurements): every relay gets measured in the period, and a coordinator restart in
 * the middle (as by SIGTERM) resumes the period from the state file without measuring any relay
 * twice. Measurers of 5 Mbit/s make two relays of 2 Mbit/s fit a slot (2.25 x 2 Mbit/s each), so
 * the period's measurements span several slots and the restart falls between them.
 */
@Timeout(180)
class ScheduleSystemTest {
  private static final long C = 250_000; // 2 Mbit/s
  private static final long PERIOD_S = 60;
  private static final Duration FINISH = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void everyRelayMeasuredOnceInThePeriodAcrossARestart() throws Exception {
    // Start early in a period, so that the rest of it has room for every relay and a restart.
    Await.until(
        Duration.ofSeconds(PERIOD_S),
        () -> Instant.now().getEpochSecond() % PERIOD_S < 25,
        () -> "the first 25 s of a minute");
    SystemFixture f = new SystemFixture(dir);
    for (String nick : List.of("ant", "bee", "cat", "dog", "eel")) {
      f.relay(nick, C, 0.1, Behaviour.HONEST);
    }
    f.measurer("alice").measurer("bob");
    f.coord("schedule", "enabled", "true")
        .coord("schedule", "period", PERIOD_S + " s")
        .coord("schedule", "slot", "5 s")
        .coord("meas_params", "meas_duration", "2")
        .coord("measurers", "alice", "5 Mbit/s")
        .coord("measurers", "bob", "5 Mbit/s");
    try (f) {
      f.start();
      Set<String> fps = new TreeSet<>();
      for (RelayEntry r : f.net().relays()) {
        fps.add(r.fingerprint());
      }
      Await.until(
          FINISH,
          () -> measured(f.status()) >= 2,
          () -> "two relays measured by the schedule:\n" + f.status());
      long period = periodOf(f.status());
      f.shutdownCoordinator();
      int before = completed(f.results(), period).size();

      f.startCoordinator();
      // Resumed from the state file: what was done is still done, before any new measurement.
      Await.until(
          SystemFixture.WAIT,
          () ->
              f.status().contains("schedule: period " + period + " from")
                  && measured(f.status()) >= before,
          () -> "period " + period + " resumed with " + before + " measured:\n" + f.status());
      f.awaitMeasurers(2);
      Await.until(
          FINISH,
          () -> f.status().contains("schedule relays: 5 measured, 0 failed, 0 pending"),
          () -> "every relay measured:\n" + f.status() + "\n" + f.results());

      Map<String, List<Long>> ends = completed(f.results(), period);
      assertEquals(fps, ends.keySet(), "every relay measured in period " + period + ": " + ends);
      ends.forEach(
          (fp, ids) ->
              assertEquals(1, ids.size(), fp + " measured more than once: " + f.results()));
      assertTrue(before >= 2 && before < 5, "the restart fell in the middle: " + before);
      assertTrue(Files.exists(dir.resolve("coord").resolve("state.json")));
    }
  }

  /** The relays measured (END) by measurements begun in {@code period}, with their meas_ids. */
  private static Map<String, List<Long>> completed(List<String> log, long period) {
    Map<Long, List<String>> byId = new LinkedHashMap<>();
    for (String line : log) {
      byId.computeIfAbsent(Long.parseLong(line.split(" ", 2)[0]), k -> new ArrayList<>()).add(line);
    }
    Map<String, List<Long>> out = new TreeMap<>();
    for (List<String> lines : byId.values()) {
      String last = lines.get(lines.size() - 1).split(" ")[2];
      if (!last.equals("END")) {
        continue;
      }
      Record r = Record.of(lines);
      if (r.beginTs() / PERIOD_S == period) {
        out.computeIfAbsent(r.fp(), k -> new ArrayList<>()).add(r.measId());
      }
    }
    return out;
  }

  private static int measured(String status) {
    int i = status.indexOf("schedule relays: ");
    if (i < 0) {
      return 0;
    }
    String rest = status.substring(i + "schedule relays: ".length());
    return Integer.parseInt(rest.substring(0, rest.indexOf(' ')));
  }

  private static long periodOf(String status) {
    int i = status.indexOf("schedule: period ");
    assertTrue(i >= 0, status);
    String rest = status.substring(i + "schedule: period ".length());
    return Long.parseLong(rest.substring(0, rest.indexOf(' ')));
  }
}
