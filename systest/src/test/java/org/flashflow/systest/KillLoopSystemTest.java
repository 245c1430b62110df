package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.flashflow.coord.results.ReadStats;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator as a process with the schedule on the emulated network, SIGKILLed at random
 * moments {@value #KILLS} times and started again each time (a seeded {@link Random}: the seed is
 * printed, and {@code -Dflashflow.killloop.seed=N} replays it). After every kill it holds that the
 * results log parses with at most one bad line, a torn last one; that no meas_id has two END or
 * FAIL and no relay has two END in one period; that the state file parses; and that the {@code
 * v3bw} symlink, once there, leads to a complete bandwidth file. A quarter of the kills fall in the
 * first 1.5 s after the process listens (state file read, schedule resumed), the others up to 4 s
 * after the measurers connected (slots, measurements, saves, bandwidth files every 2 s).
 */
@Timeout(420)
class KillLoopSystemTest {
  private static final int KILLS = 20;
  private static final long C = 250_000; // 2 Mbit/s
  private static final long PERIOD_S = 60;
  private static final Duration CONNECTED = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void killedTwentyTimesStaysConsistent() throws Exception {
    long seed = Long.getLong("flashflow.killloop.seed", System.nanoTime());
    System.out.println(
        "KillLoopSystemTest seed " + seed + " (-Dflashflow.killloop.seed=" + seed + ")");
    Random random = new Random(seed);
    SystemFixture f = new SystemFixture(dir).coordinatorProcess();
    for (String nick : List.of("ant", "bee", "cat", "dog", "eel", "fox")) {
      f.relay(nick, C, 0.1, Behaviour.HONEST);
    }
    f.measurer("alice").measurer("bob");
    f.coord("schedule", "enabled", "true")
        .coord("schedule", "period", PERIOD_S + " s")
        .coord("schedule", "slot", "5 s")
        .coord("meas_params", "meas_duration", "2")
        .coord("v3bw", "interval", "2 s")
        .coord("measurers", "alice", "5 Mbit/s")
        .coord("measurers", "bob", "5 Mbit/s");
    Instant lastStart = Instant.now();
    try (f) {
      f.start();
      for (int i = 1; i <= KILLS; i++) {
        String at = "seed " + seed + ", kill " + i;
        boolean early = random.nextInt(4) == 0;
        if (early) {
          pause(random.nextInt(1500));
        } else {
          Await.until(
              CONNECTED,
              () -> f.status().contains("measurers: 2 connected"),
              () -> at + ": measurers connected\n" + f.coordLog());
          pause(random.nextInt(4000));
        }
        f.killCoordinator();
        check(f, at);
        lastStart = Instant.now();
        f.startCoordinatorProcess();
      }
      f.awaitStatus(s -> s.contains("tor: READY"), "tor READY after the last restart");
      Await.until(
          CONNECTED,
          () -> f.status().contains("measurers: 2 connected"),
          () -> "measurers connected after the last restart\n" + f.coordLog());
      int ends = ends(f.results());
      Await.until(
          Duration.ofSeconds(90),
          () -> ends(f.results()) > ends,
          () -> "a measurement completed after the last restart:\n" + f.status());
      f.v3bw();
      check(f, "seed " + seed + ", the end");
      // Temporary files of writes that a kill cut short are removed at the next start once a
      // minute old; none older than that may be left from the earlier runs.
      Instant cutoff = lastStart.minus(Duration.ofMinutes(1)).minusSeconds(2);
      for (Path d : List.of(f.coordDir(), f.resultsLog().getParent())) {
        try (Stream<Path> files = Files.list(d)) {
          List<Path> stale =
              files
                  .filter(p -> p.getFileName().toString().endsWith(".tmp"))
                  .filter(p -> modified(p).isBefore(cutoff))
                  .toList();
          assertTrue(stale.isEmpty(), "seed " + seed + ": leftover temporary files " + stale);
        }
      }
    }
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (IOException e) {
      return Instant.MAX; // gone meanwhile
    }
  }

  /** Waits {@code millis} of wall time: the random moment of a kill, not a wait for a condition. */
  private static void pause(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static void check(SystemFixture f, String at) throws IOException {
    Path log = f.resultsLog();
    List<String> lines = f.results();
    String context = at + "\n" + String.join("\n", lines);
    if (Files.exists(log)) {
      ReadStats stats = new ResultsLogReader(log).read(r -> {});
      boolean tornEnd = !Files.readString(log, StandardCharsets.UTF_8).endsWith("\n");
      long tolerated = tornEnd ? 1 : 0;
      assertTrue(stats.skipped() <= tolerated, "bad lines " + stats + ": " + context);
    }
    // No meas_id with two ends, no relay with two END in one period.
    Map<Long, List<String>> byId = new LinkedHashMap<>();
    for (String line : lines) {
      byId.computeIfAbsent(Long.parseLong(line.split(" ", 2)[0]), k -> new ArrayList<>()).add(line);
    }
    Map<String, List<Long>> measured = new TreeMap<>();
    for (List<String> mine : byId.values()) {
      long endings =
          mine.stream()
              .map(KillLoopSystemTest::type)
              .filter(t -> t.equals("END") || t.equals("FAIL"))
              .count();
      assertTrue(endings <= 1, "two ends of one measurement " + mine + ": " + context);
      Record r = endings == 1 ? Record.of(mine) : null;
      if (r != null && r.completed()) {
        measured
            .computeIfAbsent(
                r.fp() + " in period " + r.beginTs() / PERIOD_S, k -> new ArrayList<>())
            .add(r.measId());
      }
    }
    measured.forEach(
        (relay, ids) ->
            assertEquals(1, ids.size(), relay + " measured twice " + ids + ": " + context));
    // The state file parses as a schedule state; nothing was moved aside as corrupt.
    Path state = f.coordDir().resolve("state.json");
    if (Files.exists(state)) {
      JsonNode json = new ObjectMapper().readTree(state.toFile());
      assertEquals(1, json.path("version").asInt(), at + ": " + json);
      assertTrue(json.path("schedule").has("entries"), at + ": " + json);
    }
    try (Stream<Path> files = Files.list(f.coordDir())) {
      List<Path> corrupt =
          files.filter(p -> p.getFileName().toString().contains("corrupt")).toList();
      assertTrue(corrupt.isEmpty(), at + ": state files moved aside " + corrupt);
    }
    // The symlink leads to a complete bandwidth file.
    Path v3bw = log.resolveSibling("v3bw");
    if (Files.isSymbolicLink(v3bw)) {
      String text = Files.readString(v3bw, StandardCharsets.UTF_8);
      assertTrue(text.endsWith("\n"), at + ": bandwidth file ends mid-line:\n" + text);
      int sep = text.indexOf("\n=====\n");
      assertTrue(sep > 0, at + ": no header terminator in the bandwidth file:\n" + text);
      assertTrue(text.matches("(?s)\\d+\n.*"), at + ": no timestamp first:\n" + text);
      for (String relay : text.substring(sep + 7).split("\n")) {
        if (!relay.isEmpty()) {
          assertTrue(
              relay.matches("(\\S+=\\S*)( \\S+=\\S*)*") && relay.contains("node_id=$"),
              at + ": bad relay line " + relay + " in:\n" + text);
        }
      }
    }
  }

  private static int ends(List<String> lines) {
    return (int) lines.stream().filter(l -> type(l).equals("END")).count();
  }

  private static String type(String line) {
    String[] f = line.split(" ", 4);
    return f.length > 2 ? f[2] : "";
  }
}
