package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.flashflow.common.testing.FaultProxy;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A measurer whose path to the coordinator swallows everything while both hosts still answer TCP (a
 * {@link FaultProxy} in blackhole mode between bob and the coordinator; alice is connected
 * directly). The coordinator drops bob at the first deadline he misses: a report during a live
 * measurement (which fails with MEASURER_LOST), or ConnectToRelay when the path was cut while idle.
 * The next measurement runs with alice alone; once the path carries data again bob reads the
 * coordinator's close, reconnects and measures again.
 */
@Timeout(150)
class HungMeasurerSystemTest {
  private static final Logger LOG = LoggerFactory.getLogger(HungMeasurerSystemTest.class);
  private static final long C = 1_000_000; // 8 Mbit/s
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(4);

  /** Leeway on top of a deadline for a loaded 2-core machine. */
  private static final Duration SLACK = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void blackholedMeasurerIsDroppedAndComesBackWhenThePathHeals() throws Exception {
    try (SystemFixture f =
        new SystemFixture(dir)
            .relay("first", C, 0.1, Behaviour.HONEST)
            .relay("second", C, 0.1, Behaviour.HONEST)
            .relay("third", C, 0.1, Behaviour.HONEST)
            .relay("fourth", C, 0.1, Behaviour.HONEST)
            .measurer("alice")
            .measurerViaProxy("bob")
            .coord("meas_params", "meas_duration", "8")
            .coord("meas_params", "report_timeout", String.valueOf(REPORT_TIMEOUT.toSeconds()))
            .coord("meas_params", "setup_timeout", String.valueOf(SETUP_TIMEOUT.toSeconds()))
            .start()) {
      FaultProxy bobPath = f.proxy("bob");

      // Cut during the active phase: bob's reports stop while alice's and the relay's go on.
      long first = f.measure("first");
      f.awaitActive(first);
      long cut = System.nanoTime();
      bobPath.blackhole();
      Record r = f.awaitRecord(first);
      assertLostBob(r, "measurer bob sent no report for 3 s while the others did; disconnected");
      long droppedMs = awaitBobGone(f, cut, REPORT_TIMEOUT.plus(SLACK));
      assertTrue(
          f.measurerStatus("bob").coordConnected(),
          "bob's own side of the cut connection looks alive: " + f.measurerStatus("bob"));

      // The next measurement runs without bob.
      Record second = f.awaitRecord(f.measure("second"));
      assertEquals("END", second.outcome(), second.toString());
      assertEquals(Collections.nCopies(8, 1), second.measurersPerSecond(), "alice only");

      // The path heals: bob reads the close the proxy held, reconnects, and is counted again.
      bobPath.pass();
      f.awaitMeasurers(2);

      // Cut while idle: the next ConnectToRelay goes unanswered.
      bobPath.blackhole();
      long third = f.measure("third");
      long asked = System.nanoTime();
      Record t = f.awaitRecord(third);
      assertLostBob(t, "measurer bob did not answer ConnectToRelay within 4 s; disconnected");
      long droppedIdleMs = awaitBobGone(f, asked, SETUP_TIMEOUT.plus(SLACK));

      bobPath.pass();
      f.awaitMeasurers(2);
      Record fourth = f.awaitRecord(f.measure("fourth"));
      assertEquals("END", fourth.outcome(), fourth.toString());
      assertEquals(Collections.nCopies(8, 2), fourth.measurersPerSecond(), "alice and bob");
      assertTrue(f.status().contains("2 completed and 2 failed"), f.status());
      LOG.info(
          "bob dropped {} ms after the cut (active phase), {} ms after measure (idle)",
          droppedMs,
          droppedIdleMs);
    }
  }

  private static void assertLostBob(Record r, String detail) {
    assertEquals("FAIL", r.outcome(), r.toString());
    assertEquals("MEASURER_LOST", r.reason(), r.toString());
    assertEquals(detail, r.detail(), r.toString());
    assertEquals(List.of(), r.measured(), r.toString());
  }

  /** Waits until status lists alice alone; returns the milliseconds since {@code since}. */
  private static long awaitBobGone(SystemFixture f, long since, Duration within) {
    f.awaitStatus(
        s -> s.contains("measurers: 1 connected") && s.contains("  alice from"),
        "bob dropped, alice left");
    long ms = Duration.ofNanos(System.nanoTime() - since).toMillis();
    assertTrue(ms <= within.toMillis(), "dropped after " + ms + " ms, allowed " + within);
    assertFalse(f.status().contains("  bob from"), f.status());
    return ms;
  }
}
