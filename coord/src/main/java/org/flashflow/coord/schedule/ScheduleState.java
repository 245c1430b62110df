package org.flashflow.coord.schedule;

import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link Planner} needs to go on after a restart, as plain records for the state file.
 * Measurements running at the snapshot are saved as running; a restored planner plans them again,
 * since a coordinator restart fails every live measurement.
 *
 * @param period the period index the plan is for ({@link SlotClock#periodIndex})
 * @param nextDue the first slot whose measurements have not been started yet
 * @param capacity the total measurer capacity planned with, bytes/s
 */
public record ScheduleState(long period, int nextDue, long capacity, List<Entry> entries) {
  public ScheduleState {
    entries = List.copyOf(entries);
  }

  /**
   * One relay's part of the period.
   *
   * @param slot its slot while planned, else the last one it had (-1: never placed)
   * @param need bytes/s it is (or was last) planned with
   * @param given bytes/s of its last start; 0 if never started
   * @param detail why it was given up, left unplaced or dropped; else empty
   */
  public record Entry(
      String fp,
      Planner.State state,
      Planner.Kind kind,
      int slot,
      long need,
      long given,
      int attempts,
      String detail) {
    public Entry {
      Objects.requireNonNull(fp, "fp");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
