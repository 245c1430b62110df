package org.flashflow.coord.v3bw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.ResultsLogReaderTest;
import org.flashflow.torctl.model.RouterStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class BandwidthFileTest {
  public static final String FP_A = "A".repeat(40);
  public static final String FP_B = "B".repeat(40);
  public static final String FP_C = "C".repeat(40);
  public static final Instant NOW = Instant.parse("2026-11-26T13:29:00Z");
  public static final Instant STARTED = Instant.parse("2026-11-20T08:00:00Z");

  public static RouterStatus relay(String fp, String nick) {
    return new RouterStatus(
        nick,
        fp,
        Instant.parse("2026-11-26T12:00:00Z"),
        "127.0.0.1",
        9001,
        0,
        Set.of("Fast", "Running", "Valid"),
        1000,
        OptionalLong.empty());
  }

  /** A measured 1 h ago at 1234567.5 B/s, B measured 2 h ago at 400 B/s; A and C in consensus. */
  static LatestResults sample() {
    LatestResults latest = new LatestResults(NOW, Duration.ofDays(7));
    latest.accept(
        ResultsLogReaderTest.done(11, FP_A, NOW.getEpochSecond() - 3600, 1_234_567, 1_234_568));
    latest.accept(ResultsLogReaderTest.done(12, FP_B, NOW.getEpochSecond() - 7200, 400));
    return latest;
  }

  public static final List<RouterStatus> CONSENSUS =
      List.of(relay(FP_C, "gamma"), relay(FP_A, "alpha"));

  static final String GOLDEN =
      "1795696140\n"
          + "version=1.5.0\n"
          + "software=flashflow\n"
          + "software_version=0.1.0\n"
          + "file_created=2026-11-26T13:29:00\n"
          + "generator_started=2026-11-20T08:00:00\n"
          + "earliest_bandwidth=2026-11-26T11:29:00\n"
          + "latest_bandwidth=2026-11-26T12:29:00\n"
          + "number_consensus_relays=2\n"
          + "number_eligible_relays=1\n"
          + "percent_eligible_relays=50\n"
          + "minimum_number_eligible_relays=0\n"
          + "minimum_percent_eligible_relays=0\n"
          + "recent_measurement_attempt_count=2\n"
          + "recent_measurement_failure_count=0\n"
          + "flashflow_bg_percent=0.25\n"
          + "flashflow_meas_duration=30\n"
          + "flashflow_num_circs=160\n"
          + "flashflow_max_results_age=604800\n"
          + "flashflow_relays_capped=0\n"
          + "flashflow_relays_without_descriptor=2\n"
          + "flashflow_authorities=0\n"
          + "=====\n"
          + "node_id=$"
          + FP_A
          + " bw=1235 nick=alpha measured_at=1795696140 time=2026-11-26T12:29:00 meas_id=11"
          + " flashflow_estimate=1234568 consensus_bandwidth=1000000 success=1 error_circ=0"
          + " error_misc=0\n"
          + "node_id=$"
          + FP_B
          + " bw=1 measured_at=1795692540 time=2026-11-26T11:29:00 meas_id=12"
          + " flashflow_estimate=400 success=1 error_circ=0 error_misc=0\n"
          + "node_id=$"
          + FP_C
          + " bw=1 nick=gamma consensus_bandwidth=1000000 unmeasured=1 vote=0\n";

  /** {@link #GOLDEN} with one failed (TIMEOUT) measurement of C in the window. */
  public static final String GOLDEN_C_FAILED =
      GOLDEN
          .replace("attempt_count=2\n", "attempt_count=3\n")
          .replace("failure_count=0\n", "failure_count=1\n")
          .replace(
              "nick=gamma consensus_bandwidth=1000000 unmeasured=1",
              "nick=gamma consensus_bandwidth=1000000 success=0 error_circ=0 error_misc=1"
                  + " flashflow_error_timeout=1 unmeasured=1");

  @Test
  void rendersGoldenFile() throws StaleResultsException {
    String text = BandwidthFile.render(sample(), CONSENSUS, STARTED, NOW, "0.1.0");
    assertEquals(GOLDEN, text);
  }

  @Test
  void onlyLfNoTrailingSpaceHeaderSmall() throws StaleResultsException {
    String text = BandwidthFile.render(sample(), CONSENSUS, STARTED, NOW, "0.1.0");
    assertFalse(text.contains("\r"));
    assertTrue(text.endsWith("\n"));
    for (String line : text.split("\n")) {
      assertEquals(line.strip(), line, "no outer spaces: '" + line + "'");
      assertFalse(line.contains("  "), line);
    }
    String header = text.substring(0, text.indexOf("=====\n"));
    assertTrue(header.length() < 1024);
    assertTrue(header.split("\n").length <= 50);
  }

  @Test
  void emptyConsensusListsMeasuredRelaysOnlyWithoutConsensusCounts() throws StaleResultsException {
    String text = BandwidthFile.render(sample(), List.of(), STARTED, NOW, "0.1.0");
    assertFalse(text.contains("number_consensus_relays"));
    assertFalse(text.contains("\npercent_eligible_relays"));
    assertTrue(text.contains("\nnumber_eligible_relays=2\n"));
    assertFalse(text.contains("flashflow_authorities"));
    assertTrue(
        text.endsWith(
            "=====\nnode_id=$"
                + FP_A
                + " bw=1235 measured_at=1795696140 time=2026-11-26T12:29:00 meas_id=11"
                + " flashflow_estimate=1234568 success=1 error_circ=0 error_misc=0\n"
                + "node_id=$"
                + FP_B
                + " bw=1 measured_at=1795692540 time=2026-11-26T11:29:00 meas_id=12"
                + " flashflow_estimate=400 success=1 error_circ=0 error_misc=0\n"),
        text);
  }

  @Test
  void newestResultExactlyThreeDaysOldIsStillAccepted() throws StaleResultsException {
    LatestResults latest = new LatestResults(NOW, Duration.ofDays(7));
    long ts = NOW.minus(Duration.ofDays(3)).getEpochSecond();
    latest.accept(ResultsLogReaderTest.done(1, FP_A, ts, 5000));
    assertTrue(BandwidthFile.render(latest, List.of(), STARTED, NOW, "x").startsWith(ts + "\n"));
  }

  @Test
  void newestResultOlderThanThreeDaysRendersNothing() {
    LatestResults latest = new LatestResults(NOW, Duration.ofDays(7));
    long ts = NOW.minus(Duration.ofDays(3)).getEpochSecond() - 1;
    latest.accept(ResultsLogReaderTest.done(1, FP_A, ts, 5000));
    StaleResultsException e =
        assertThrows(
            StaleResultsException.class,
            () -> BandwidthFile.render(latest, CONSENSUS, STARTED, NOW, "x"));
    assertEquals(
        "newest result is from 2026-11-23T13:28:59, older than 3 days; tor would ignore the file",
        e.getMessage());
  }

  @Test
  void noResultsRendersNothing() {
    LatestResults latest = new LatestResults(NOW, Duration.ofDays(7));
    StaleResultsException e =
        assertThrows(
            StaleResultsException.class,
            () -> BandwidthFile.render(latest, CONSENSUS, STARTED, NOW, "x"));
    assertTrue(e.getMessage().contains("no measurement results"), e.getMessage());
  }

  @Test
  void oddNicknameIsLeftOut() throws StaleResultsException {
    String text =
        BandwidthFile.render(sample(), List.of(relay(FP_A, "has space")), STARTED, NOW, "0.1.0");
    assertTrue(text.contains("node_id=$" + FP_A + " bw=1235 measured_at="), text);
  }

  @ParameterizedTest
  @CsvSource({"0, 1", "499.9, 1", "1499.9, 1", "1500, 2", "1234567.5, 1235", "1e12, 1000000000"})
  void kiloBytesRoundsAndIsAtLeastOne(double bytes, long expected) {
    assertEquals(expected, BandwidthFile.kiloBytes(bytes));
  }
}
