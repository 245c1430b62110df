package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator shut down (as by SIGTERM) while a measurement runs, then started again with the
 * same configuration: the live measurement is in the results log as FAIL SHUTDOWN by the time
 * shutdown returns, the measurers are told and drop it, reconnect on their own (backoff from 0.5 s)
 * to the new coordinator, and a new measurement completes; the log holds both.
 */
@Timeout(90)
class CoordinatorRestartSystemTest {
  private static final long C = 1_000_000; // 8 Mbit/s

  @TempDir Path dir;

  @Test
  void restartDuringMeasurement() throws Exception {
    try (SystemFixture f =
        new SystemFixture(dir)
            .relay("modest", C, 0.1, Behaviour.HONEST)
            .relay("fresh", C, 0.1, Behaviour.HONEST)
            .measurer("alice")
            .measurer("bob")
            .start()) {
      long first = f.measure("modest");
      f.awaitActive(first);
      f.shutdownCoordinator();

      // Durable when shutdown returns: read at once, no waiting.
      List<String> mine = f.results().stream().filter(l -> l.startsWith(first + " ")).toList();
      assertEquals(2, mine.size(), "BEGIN and FAIL: " + f.results());
      Record r = Record.of(mine);
      assertEquals("FAIL", r.outcome(), r.toString());
      assertEquals("SHUTDOWN", r.reason(), r.toString());

      for (String name : List.of("alice", "bob")) {
        Await.until(
            SystemFixture.WAIT,
            () -> {
              var s = f.measurerStatus(name);
              return !s.coordConnected() && s.live().isEmpty() && s.failed() == 1;
            },
            () -> name + " disconnected with its part failed: " + f.measurerStatus(name));
      }

      f.startCoordinator();
      f.awaitMeasurers(2);
      // Another relay: "modest" is still in the abandoned measurement until its 4 s are over, and
      // refuses a new one meanwhile, as a real relay does (one measurement at a time; nothing
      // tells it that the coordinator went away).
      long second = f.measure("fresh");
      Record n = f.awaitRecord(second);
      assertEquals("END", n.outcome(), n.toString());
      assertEquals(List.of(2, 2, 2, 2), n.measurersPerSecond(), n.toString());
      long estimate = n.estimate().orElseThrow();
      assertTrue(Math.abs(estimate - C) <= 0.1 * C, estimate + "\n" + n);

      List<String> log = f.results();
      assertTrue(log.contains(r.lines().get(1)), "the FAIL SHUTDOWN record survived: " + log);
      assertTrue(log.containsAll(n.lines()), log.toString());
      assertFalse(
          log.stream().anyMatch(l -> l.startsWith(first + " ") && l.contains(" END")),
          log.toString());
    }
  }
}
