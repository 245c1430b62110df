package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flashflow.measurer.MeasurerStatus;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurer process killed with SIGKILL in the middle of a measurement: no Failure message, no TLS
 * close, just a dead TCP connection. The coordinator records MEASURER_LOST naming it, tells the
 * surviving measurer (which drops its part), and carries on: the next measurement, with the one
 * measurer left, completes.
 */
@Timeout(90)
class MeasurerKilledSystemTest {
  private static final long C = 1_000_000; // 8 Mbit/s

  @TempDir Path dir;

  @Test
  void killedMeasurerEndsAsMeasurerLostAndTheRestGoesOn() throws Exception {
    try (SystemFixture f =
        new SystemFixture(dir)
            .relay("first", C, 0.1, Behaviour.HONEST)
            .relay("second", C, 0.1, Behaviour.HONEST)
            .measurer("alice")
            .measurerProcess("bob")
            .start()) {
      long id = f.measure("first");
      f.awaitActive(id);
      f.killMeasurerProcess("bob");

      Record r = f.awaitRecord(id);
      assertEquals("FAIL", r.outcome(), r.toString());
      assertEquals("MEASURER_LOST", r.reason(), r + "\nbob's log:\n" + f.processLog("bob"));
      assertTrue(r.detail().contains("bob"), r.toString());
      assertEquals(List.of(), r.measured(), r.toString());

      f.awaitMeasurers(1);
      Await.until(
          SystemFixture.WAIT,
          () -> f.measurerStatus("alice").live().isEmpty(),
          () -> "alice dropping its part: " + f.measurerStatus("alice"));
      MeasurerStatus alice = f.measurerStatus("alice");
      assertTrue(alice.coordConnected(), alice.toString());
      assertEquals(1, alice.failed(), alice.toString());

      long next = f.measure("second");
      Record n = f.awaitRecord(next);
      assertEquals("END", n.outcome(), n.toString());
      assertEquals(List.of(1, 1, 1, 1), n.measurersPerSecond(), "alice only: " + n);
      long estimate = n.estimate().orElseThrow();
      assertTrue(Math.abs(estimate - C) <= 0.1 * C, estimate + "\n" + n);
      assertTrue(f.status().contains("1 completed and 1 failed"), f.status());
    }
  }
}
