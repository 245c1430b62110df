package org.flashflow.coord.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The schedule's state file read by someone other than the schedule (the offline {@code flashflow
 * report}): read only, never moved aside or replaced, so it may run next to a live coordinator.
 *
 * @param period the period length the schedule was made with
 * @param slot the slot length it was made with
 */
public record SavedSchedule(Duration period, Duration slot, ScheduleState schedule) {
  public SavedSchedule {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(schedule, "schedule");
    new SlotClock(period, slot); // validates
  }

  /** The slot arithmetic of the saved schedule. */
  public SlotClock clock() {
    return new SlotClock(period, slot);
  }

  /**
   * The schedule in {@code file}; empty if there is no such file.
   *
   * @throws IOException if the file cannot be read or is not a state file of the version we write
   */
  public static Optional<SavedSchedule> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    StateFile.Content c;
    try {
      c = StateFile.mapper().readValue(bytes, StateFile.Content.class);
    } catch (IOException e) {
      throw new IOException(file + " is not a valid schedule state file: " + e.getMessage(), e);
    }
    if (c == null || c.schedule() == null || c.version() != StateFile.VERSION) {
      throw new IOException(file + " has no schedule of version " + StateFile.VERSION);
    }
    try {
      return Optional.of(
          new SavedSchedule(
              Duration.ofSeconds(c.periodSeconds()),
              Duration.ofSeconds(c.slotSeconds()),
              c.schedule()));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
