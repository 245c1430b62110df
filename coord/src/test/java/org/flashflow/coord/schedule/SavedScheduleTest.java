package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file read by someone else than the schedule: read only, errors named. */
class SavedScheduleTest {
  @TempDir Path dir;

  @Test
  void readsWhatTheScheduleSaved() throws Exception {
    Path file = dir.resolve("state.json");
    ScheduleState state =
        new ScheduleState(
            7,
            3,
            1000,
            List.of(
                new ScheduleState.Entry(
                    "AA".repeat(20), Planner.State.DONE, Planner.Kind.NEW, 1, 10, 10, 1, "")));
    new StateFile(file, Duration.ofDays(1), Duration.ofSeconds(35), Clock.systemUTC()).save(state);
    SavedSchedule saved = SavedSchedule.read(file).orElseThrow();
    assertEquals(state, saved.schedule());
    assertEquals(Duration.ofDays(1), saved.period());
    assertEquals(Duration.ofSeconds(35), saved.slot());
    assertEquals(2468, saved.clock().slotsInPeriod());
  }

  @Test
  void noFileIsNoSchedule() throws Exception {
    assertEquals(Optional.empty(), SavedSchedule.read(dir.resolve("none.json")));
  }

  @Test
  void aBadFileIsNamedAndLeftWhereItIs() throws Exception {
    Path file = dir.resolve("state.json");
    Files.writeString(file, "{not json");
    IOException e = assertThrows(IOException.class, () -> SavedSchedule.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertArrayEquals("{not json".getBytes(), Files.readAllBytes(file), "not moved aside");
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }
}
