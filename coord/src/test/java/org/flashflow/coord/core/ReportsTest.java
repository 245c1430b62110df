package org.flashflow.coord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flashflow.coord.core.MeasurementRecord.Second;
import org.junit.jupiter.api.Test;

class ReportsTest {
  @Test
  void positionsProgressAndCompletion() {
    Reports r = new Reports(2, List.of("bob", "alice"));
    assertTrue(r.addMeasurer("alice", 10));
    assertTrue(r.addMeasurer("alice", 20));
    assertFalse(r.addMeasurer("alice", 30), "beyond dur");
    assertTrue(r.addBackground(5, 3));
    assertEquals(0, r.secondsDone(), "bob has not reported");
    assertTrue(r.addMeasurer("bob", 1));
    assertEquals(1, r.secondsDone());
    assertEquals("background 1/2, bob 1/2, alice 2/2", r.progress());
    assertFalse(r.complete());
    assertTrue(r.addBackground(8, 9));
    assertFalse(r.addBackground(100, 100));
    assertTrue(r.addMeasurer("bob", 2));
    assertTrue(r.complete());
    // assignment order (bob first); claimed = min(sent, recv); r = 0.25 caps at a third
    assertEquals(
        List.of(new Second(List.of(1L, 10L), 3, 3), new Second(List.of(2L, 20L), 8, 7)),
        r.seconds(0.25));
  }

  @Test
  void cappingNote() {
    assertEquals("", Reports.cappingNote(List.of(new Second(List.of(300L), 100, 100))));
    assertEquals(
        "; background capped 1500->150 bytes/s in 2 of 3 s",
        Reports.cappingNote(
            List.of(
                new Second(List.of(300L), 1000, 100),
                new Second(List.of(600L), 2000, 200),
                new Second(List.of(600L), 0, 200))));
    assertEquals(
        "; background capped 9223372036854775807->1 bytes/s in 2 of 2 s",
        Reports.cappingNote(
            List.of(
                new Second(List.of(3L), Long.MAX_VALUE, 1),
                new Second(List.of(3L), Long.MAX_VALUE, 1))));
  }
}
