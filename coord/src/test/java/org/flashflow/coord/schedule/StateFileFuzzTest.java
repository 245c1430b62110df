package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.flashflow.coord.schedule.ScheduleSettings.Prior;

/**
 * Any bytes in the state file: {@link StateFile#decode} refuses them with an {@link IOException} or
 * returns content that encodes and decodes back to itself; and {@link Planner#restore} resumes that
 * content at its period's start or refuses it with an {@link IllegalArgumentException}, the one
 * error the schedule runner moves a file aside for (any other is treated as a bug of ours). Seeds:
 * StateFileFuzzTestInputs (states the planner saved).
 */
class StateFileFuzzTest {
  /** 10 slots of 60 s, so that fuzzed slot numbers land inside and outside the period. */
  private static final ScheduleSettings SETTINGS =
      new ScheduleSettings(
          Duration.ofSeconds(600),
          Duration.ofSeconds(60),
          2.25,
          160,
          0.9,
          true,
          Prior.ADVERTISED,
          ScheduleSettings.MAX_ATTEMPTS,
          new Capacities(Map.of("m", 1_000_000L), 1_000_000L));

  @FuzzTest
  void decodesAndRestoresOrRefuses(byte[] data) throws IOException {
    StateFile.Content c;
    try {
      c = StateFile.decode(data);
    } catch (IOException e) {
      assertNotNull(e.getMessage());
      return;
    }
    if (c == null) {
      return; // the JSON null: load() moves it aside
    }
    assertEquals(c, StateFile.decode(StateFile.encode(c)));
    if (c.schedule() == null) {
      return;
    }
    Instant now;
    try {
      now = SETTINGS.clock().periodStart(c.schedule().period());
    } catch (ArithmeticException e) {
      now = Instant.EPOCH; // no such time: restore sees another period and starts afresh
    }
    Planner p;
    try {
      p = Planner.restore(SETTINGS, new Random(1), c.schedule(), now);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertNotNull(p.snapshot());
  }
}
