package org.flashflow.coord.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Slot arithmetic. Periods are aligned to the Unix epoch (a 1-day period starts at 00:00 UTC), so
 * that a restarted coordinator, or two coordinators with the same settings, agree on where a period
 * begins without sharing any state. A period holds {@code floor(period / slot)} slots; when the
 * slot does not divide the period, the remainder at the end of the period is left unused rather
 * than giving one slot a different length.
 */
public final class SlotClock {
  private final long periodNanos;
  private final long slotNanos;
  private final int slotsInPeriod;

  public SlotClock(Duration period, Duration slot) {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(slot, "slot");
    if (slot.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("slot must be at least 1 s, not " + slot);
    }
    if (period.compareTo(slot) < 0) {
      throw new IllegalArgumentException(
          "period (" + period + ") must be at least one slot (" + slot + ")");
    }
    this.periodNanos = period.toNanos();
    this.slotNanos = slot.toNanos();
    long n = periodNanos / slotNanos;
    if (n > 10_000_000) {
      throw new IllegalArgumentException("more than 10,000,000 slots in a period: " + n);
    }
    this.slotsInPeriod = (int) n;
  }

  public int slotsInPeriod() {
    return slotsInPeriod;
  }

  public Duration slot() {
    return Duration.ofNanos(slotNanos);
  }

  public Duration period() {
    return Duration.ofNanos(periodNanos);
  }

  /** The number of the period {@code now} lies in (0 for the one starting at the epoch). */
  public long periodIndex(Instant now) {
    return Math.floorDiv(nanos(now), periodNanos);
  }

  /** When period {@code index} starts. */
  public Instant periodStart(long index) {
    return ofNanos(Math.multiplyExact(index, periodNanos));
  }

  /** When slot {@code slot} of period {@code index} starts; {@code slotsInPeriod} gives its end. */
  public Instant slotStart(long periodIndex, int slot) {
    if (slot < 0 || slot > slotsInPeriod) {
      throw new IllegalArgumentException("slot " + slot + " outside 0.." + slotsInPeriod);
    }
    return ofNanos(Math.addExact(Math.multiplyExact(periodIndex, periodNanos), slot * slotNanos));
  }

  /**
   * The first slot of {@code now}'s period that has not begun yet, or that begins exactly now: the
   * first one a schedule made at {@code now} may use. {@link #slotsInPeriod()} if none is left.
   */
  public int firstUsableSlot(Instant now) {
    long into = Math.floorMod(nanos(now), periodNanos);
    long slot = (into + slotNanos - 1) / slotNanos;
    return (int) Math.min(slot, slotsInPeriod);
  }

  /**
   * The slot of {@code now}'s period that {@code now} lies in, or -1 in the unused remainder at the
   * end of a period.
   */
  public int currentSlot(Instant now) {
    long slot = Math.floorMod(nanos(now), periodNanos) / slotNanos;
    return slot < slotsInPeriod ? (int) slot : -1;
  }

  /**
   * The next instant strictly after {@code now} at which a slot starts (possibly the first slot of
   * the next period): when the daemon's timer should fire next. Recomputed from the clock each time
   * rather than by adding fixed intervals, so that timer lateness never accumulates.
   */
  public Instant nextSlotStart(Instant now) {
    long period = periodIndex(now);
    int next = currentSlot(now) + 1;
    if (currentSlot(now) < 0 || next >= slotsInPeriod) {
      return periodStart(period + 1);
    }
    return slotStart(period, next);
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static Instant ofNanos(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
