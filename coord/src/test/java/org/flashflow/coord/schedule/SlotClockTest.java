package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.flashflow.common.config.Durations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotClockTest {
  /** 2024-01-02T00:00:00Z, a period start for every period that divides a day. */
  private static final Instant DAY = Instant.parse("2024-01-02T00:00:00Z");

  @ParameterizedTest(name = "{0} / {1} = {2} slots")
  @CsvSource({
    "1 day, 60 s, 1440",
    "1 day, 35 s, 2468", // 86400 / 35 = 2468.57: the last 20 s are unused
    "1 day, 30 s, 2880",
    "1 h, 1 h, 1",
    "300 s, 60 s, 5",
  })
  void slotsInPeriod(String period, String slot, int slots) {
    assertEquals(slots, clock(period, slot).slotsInPeriod());
  }

  @ParameterizedTest(name = "{0} into the day: first usable {1}, current {2}, next start +{3} s")
  @CsvSource({
    "0 s, 0, 0, 60",
    "1 ms, 1, 0, 60",
    "59 s, 1, 0, 60",
    "60 s, 1, 1, 120",
    "61 s, 2, 1, 120",
    "86339 s, 1439, 1438, 86340",
    "86340 s, 1439, 1439, 86400", // the last slot; next is the next day's first
    "86399 s, 1440, 1439, 86400", // nothing usable left today
  })
  void positionsInADay(String into, int firstUsable, int current, long nextStart) {
    SlotClock c = clock("1 day", "60 s");
    Instant now = DAY.plus(Durations.parse(into));
    assertEquals(firstUsable, c.firstUsableSlot(now));
    assertEquals(current, c.currentSlot(now));
    assertEquals(DAY.plusSeconds(nextStart), c.nextSlotStart(now));
    assertEquals(c.periodIndex(DAY), c.periodIndex(now));
  }

  @Test
  void remainderAtThePeriodEndIsNoSlot() {
    SlotClock c = clock("1 day", "35 s");
    Instant inRemainder = DAY.plusSeconds(2468 * 35 + 5);
    assertEquals(-1, c.currentSlot(inRemainder));
    assertEquals(2468, c.firstUsableSlot(inRemainder));
    assertEquals(DAY.plus(Duration.ofDays(1)), c.nextSlotStart(inRemainder));
    assertEquals(DAY.plusSeconds(2467 * 35), c.slotStart(c.periodIndex(DAY), 2467));
  }

  @Test
  void periodsAlignToTheEpoch() {
    SlotClock c = clock("1 day", "60 s");
    long index = c.periodIndex(DAY.plusSeconds(3600));
    assertEquals(DAY.getEpochSecond() / 86400, index);
    assertEquals(DAY, c.periodStart(index));
    assertEquals(-1, c.periodIndex(Instant.ofEpochSecond(-1)));
    assertEquals(Instant.ofEpochSecond(-86400), c.periodStart(-1));
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> clock("60 s", "61 s"));
    assertThrows(IllegalArgumentException.class, () -> clock("1 day", "500 ms"));
    assertThrows(IllegalArgumentException.class, () -> clock("1 day", "60 s").slotStart(0, 1441));
  }

  private static SlotClock clock(String period, String slot) {
    return new SlotClock(Durations.parse(period), Durations.parse(slot));
  }
}
