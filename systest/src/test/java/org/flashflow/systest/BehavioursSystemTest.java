package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.flashflow.testnet.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relay behaviour of the emulated network ends as the right outcome, with the right FAIL
 * reason, through the whole system: one coordinator, one measurer, 4 s measurements, relays of 8
 * Mbit/s with 10% background. Timeouts are shortened so that each case takes seconds: circuits that
 * never build fail after 2 s, a slow relay reports every 3 s, the coordinator's report timeout is 2
 * s.
 */
@Timeout(90)
class BehavioursSystemTest {
  private static final long C = 1_000_000; // 8 Mbit/s
  private static final double BG = 0.10;
  private static final double R = SystemFixture.BG_PERCENT;

  @TempDir static Path dir;
  static SystemFixture f;

  @BeforeAll
  static void start() throws Exception {
    f =
        new SystemFixture(dir)
            .relay("honest", C, BG, Behaviour.HONEST)
            .relay("refuser", C, BG, Behaviour.REFUSES)
            .relay("liar", C, BG, Behaviour.LIES)
            .relay("dropper", C, BG, Behaviour.DROPS)
            .relay("blackhole", C, BG, Behaviour.NEVER_BUILDS)
            .relay("dier", C, BG, Behaviour.DIES)
            .relay("sloth", C, BG, Behaviour.SLOW)
            .measurer("alice")
            .circuitTimeout(Duration.ofSeconds(2))
            .slowInterval(Duration.ofSeconds(3))
            .coord("meas_params", "report_timeout", "2")
            .start();
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void refusesEndsAsRelayRefused() {
    Record r = f.awaitRecord(f.measure("refuser"));
    assertFailed(r, "refuser", "RELAY_REFUSED");
    assertTrue(r.detail().contains("ACCEPTED=FALSE"), r.toString());
  }

  /**
   * The liar claims ten times its capacity as background; the coordinator counts at most max_bg =
   * r/(1-r) of what the measurers received, so it gains at most the factor 1/(1-r). Here it carries
   * 10% background and 90% measurement traffic: estimate 0.9 C + 0.3 C = 1.2 C.
   */
  @Test
  void liarGainsAtMostOneOverOneMinusR() {
    Record r = f.awaitRecord(f.measure("liar"));
    assertEquals("END", r.outcome(), r.toString());
    for (long[] bg : r.background()) {
      assertEquals(10 * C, bg[0], "claimed background: " + r);
      assertTrue(bg[0] > bg[1], "claim not above max_bg: " + r);
    }
    long estimate = r.estimate().orElseThrow();
    assertTrue(estimate <= C / (1 - R) * 1.02, "liar got " + estimate + ":\n" + r);
    assertTrue(estimate >= 1.1 * C, "the cap r/(1-r), not the claim, set the gain: " + r);
  }

  /**
   * The dropper reads (and spends its capacity on) every measurement cell but echoes only every
   * other one. Its 10% background is honest, so the measurer's cells get the other 90% of the
   * capacity and half of those come back: measured 0.45 C, claim 0.1 C (under max_bg 0.15 C),
   * estimate about 0.55 C. FlashFlow counts what came back, so dropping only lowers the estimate.
   */
  @Test
  void dropperIsEstimatedAtWhatItEchoes() {
    Record r = f.awaitRecord(f.measure("dropper"));
    assertEquals("END", r.outcome(), r.toString());
    long estimate = r.estimate().orElseThrow();
    assertTrue(
        estimate >= 0.45 * C && estimate <= 0.65 * C,
        "expected about 0.55 C = " + (long) (0.55 * C) + ", got " + estimate + ":\n" + r);
  }

  /**
   * The coordinator asks measurers to connect only once the relay accepted the parameters, which
   * travel over the coordinator's own one-hop circuit. A relay that never builds circuits never
   * builds that one either: its tor fails the circuit (CIRC FAILED REASON=TIMEOUT, after the 2 s
   * circuit timeout, well inside the 30 s setup timeout), so the measurement fails at the
   * coordinator as CIRC_FAILED, and no measurer is ever involved (no LAUNCH_CIRCS failure).
   */
  @Test
  void neverBuildsEndsAsCircFailed() throws Exception {
    long failedBefore = f.measurerStatus("alice").failed();
    Record r = f.awaitRecord(f.measure("blackhole"));
    assertFailed(r, "blackhole", "CIRC_FAILED");
    assertTrue(r.detail().contains("FAILED") && r.detail().contains("TIMEOUT"), r.toString());
    assertEquals(failedBefore, f.measurerStatus("alice").failed(), "the measurer was involved");
  }

  /**
   * The dier gives up half-way: its tor says END SUCCESS=FALSE and it drops the measurer's
   * connections. The coordinator hears tor's END first and records TOR_ENDED. Meanwhile an honest
   * relay measured at the same time is untouched and completes.
   */
  @Test
  void diesEndsAsTorEndedAndOthersComplete() {
    long honest = f.measure("honest");
    long dier = f.measure("dier");
    Record r = f.awaitRecord(dier);
    assertFailed(r, "dier", "TOR_ENDED");
    assertTrue(r.detail().contains("SUCCESS=FALSE"), r.toString());
    Record h = f.awaitRecord(honest);
    assertEquals("END", h.outcome(), h.toString());
    long estimate = h.estimate().orElseThrow();
    assertTrue(Math.abs(estimate - C) <= 0.1 * C, "honest relay: " + estimate + "\n" + h);
  }

  /** The slow relay's first background report is due after 3 s, past the 2 s report timeout. */
  @Test
  void slowEndsAsReportsStopped() {
    Record r = f.awaitRecord(f.measure("sloth"));
    assertFailed(r, "sloth", "REPORTS_STOPPED");
    assertTrue(r.detail().contains("no background report from the relay"), r.toString());
  }

  private static void assertFailed(Record r, String nick, String reason) {
    assertEquals(f.relay(nick).fingerprint(), r.fp(), r.toString());
    assertEquals("FAIL", r.outcome(), r.toString());
    assertEquals(reason, r.reason(), r.toString());
    assertEquals(List.of(), r.measured(), "a failed measurement has no per-second lines: " + r);
  }
}
