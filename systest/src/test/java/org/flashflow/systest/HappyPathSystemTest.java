package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An honest relay of 8 Mbit/s with 10% background, measured end to end with one and with two
 * measurers: the coordinator writes BEGIN, per second MEASR and BG, END; the estimate is within 10%
 * of the configured capacity; the bandwidth file lists the relay with that estimate.
 */
@Timeout(60)
class HappyPathSystemTest {
  private static final long CAPACITY = 1_000_000; // 8 Mbit/s
  private static final double BACKGROUND = 0.10;

  @TempDir Path dir;

  @Test
  void oneMeasurer() throws Exception {
    try (SystemFixture f = fixture().measurer("alice").start()) {
      measureAndCheck(f, 1);
    }
  }

  @Test
  void twoMeasurers() throws Exception {
    try (SystemFixture f = fixture().measurer("alice").measurer("bob").start()) {
      Record r = measureAndCheck(f, 2);
      // Both measurers carried traffic, every second.
      for (String l : r.lines()) {
        if (l.contains(" MEASR ")) {
          assertTrue(Long.parseLong(l.split(" ")[3]) > 0, "a measurer received nothing: " + r);
        }
      }
    }
  }

  private SystemFixture fixture() {
    return new SystemFixture(dir)
        .relay("modest", CAPACITY, BACKGROUND, Behaviour.HONEST)
        .relay("other", 4 * CAPACITY, 0.2, Behaviour.HONEST);
  }

  private static Record measureAndCheck(SystemFixture f, int measurers) throws Exception {
    String fp = f.relay("modest").fingerprint();
    long id = f.measure("modest");
    Record r = f.awaitRecord(id);
    assertEquals("END", r.outcome(), r.toString());
    assertEquals(fp, r.fp());
    assertEquals(
        List.of(measurers, measurers, measurers, measurers), r.measurersPerSecond(), r.toString());
    assertEquals(4, r.background().size(), r.toString());
    for (long[] bg : r.background()) {
      // An honest relay's claim: about its 10% background, within what the measurement allows.
      assertTrue(bg[0] <= bg[1], "honest claim above max_bg: " + r);
      assertTrue(
          Math.abs(bg[0] - CAPACITY * BACKGROUND) <= 0.3 * CAPACITY * BACKGROUND,
          "background claim not about 10% of capacity: " + r);
    }
    long estimate = r.estimate().orElseThrow();
    assertTrue(
        Math.abs(estimate - CAPACITY) <= 0.10 * CAPACITY,
        "estimate " + estimate + " not within 10% of " + CAPACITY + ":\n" + r);
    assertTrue(f.status().contains("1 completed and 0 failed"), f.status());

    List<String> v3bw = f.v3bw();
    String line =
        v3bw.stream()
            .filter(l -> l.contains("node_id=$" + fp))
            .findFirst()
            .orElseThrow(() -> new AssertionError("relay not in v3bw:\n" + v3bw));
    long bw = Long.parseLong(line.replaceAll(".*\\bbw=(\\d+).*", "$1"));
    assertEquals(estimate / 1000.0, bw, 1.0, line);
    assertTrue(!line.contains("unmeasured"), line);
    String other = f.relay("other").fingerprint();
    assertTrue(
        v3bw.stream().anyMatch(l -> l.contains("node_id=$" + other) && l.contains("unmeasured=1")),
        "the relay never measured is listed as unmeasured:\n" + v3bw);
    return r;
  }
}
