package org.flashflow.coord.v3bw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.ResultsLogFormatTest;
import org.flashflow.coord.results.ResultsLogReaderTest;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The keys beyond the minimum: the cap at the descriptor's bandwidth-avg, relays without a
 * descriptor, authorities, success and failure counts, the minimum of eligible relays, and tor's
 * header limits. Golden strings.
 */
class BandwidthFileContentTest {
  static final String A = "A".repeat(40);
  static final String B = "B".repeat(40);
  static final String C = "C".repeat(40);
  static final String D = "D".repeat(40);
  static final String E = "E".repeat(40);
  static final Instant NOW = BandwidthFileTest.NOW;
  static final Instant STARTED = BandwidthFileTest.STARTED;
  static final long T = NOW.getEpochSecond();

  static RouterStatus relay(String fp, String nick, long kbs, String... flags) {
    return new RouterStatus(
        nick,
        fp,
        Instant.parse("2026-11-26T12:00:00Z"),
        "127.0.0.1",
        9001,
        0,
        Set.of(flags),
        kbs,
        OptionalLong.empty());
  }

  static ServerDescriptor desc(String fp, String nick, long avg, long burst, long observed) {
    return new ServerDescriptor(
        nick,
        fp,
        "127.0.0.1",
        9001,
        Instant.parse("2026-11-26T11:00:00Z"),
        Optional.of("key" + nick),
        avg,
        burst,
        observed);
  }

  /** One second received at {@code bytes}: the estimate is exactly {@code bytes}. */
  static MeasurementRecord done(long id, String fp, long ts, long bytes) {
    return ResultsLogReaderTest.done(id, fp, ts, bytes);
  }

  static MeasurementRecord failed(long id, String fp, long ts, FailReason reason) {
    return ResultsLogFormatTest.failed(id, fp, ts, reason, "x");
  }

  /**
   * A measured at 5 MB/s but allows 2 MB/s; B at 1.5 MB/s allows 10 MB/s and failed three times; C
   * at 800 kB/s has no descriptor; D, an authority, at 3 MB/s; E unmeasured, refused once.
   */
  static LatestResults results() {
    LatestResults latest = new LatestResults(NOW, Duration.ofDays(7));
    latest.accept(done(1, A, T - 600, 5_000_000));
    latest.accept(failed(2, B, T - 900, FailReason.CIRC_FAILED));
    latest.accept(failed(3, B, T - 800, FailReason.TIMEOUT));
    latest.accept(failed(4, B, T - 700, FailReason.TIMEOUT));
    latest.accept(done(5, B, T - 500, 1_500_000));
    latest.accept(done(6, C, T - 400, 800_000));
    latest.accept(done(7, D, T - 300, 3_000_000));
    latest.accept(failed(8, E, T - 200, FailReason.RELAY_REFUSED));
    latest.accept(failed(9, E, T - 8 * 86400, FailReason.TIMEOUT)); // too old to count
    return latest;
  }

  static final List<RouterStatus> CONSENSUS =
      List.of(
          relay(A, "alpha", 4000, "Fast", "Running", "Valid"),
          relay(B, "beta", 1400, "Running"),
          relay(C, "gamma", 700, "Running"),
          relay(D, "auth", 20, "Authority", "Running", "V2Dir"),
          relay(E, "eps", 100, "Running"));

  static DescriptorStore.Saved descriptors(Optional<String> torVersion) {
    Map<String, ServerDescriptor> m = new TreeMap<>();
    m.put(A, desc(A, "alpha", 2_000_000, 4_000_000, 1_900_000));
    m.put(B, desc(B, "beta", 10_000_000, 20_000_000, 1_000_000));
    m.put(D, desc(D, "auth", 1_073_741_824, 1_073_741_824, 0));
    m.put(E, desc(E, "eps", 500_000, 600_000, 400_000));
    return new DescriptorStore.Saved(new TreeMap<>(m), torVersion);
  }

  static V3bwSettings settings(int minPercent, int minNumber) {
    return new V3bwSettings(Duration.ofDays(7), minPercent, minNumber, 0.25, 30, 160, 2);
  }

  static String render(V3bwSettings settings) throws StaleResultsException {
    return BandwidthFile.render(
        results(),
        CONSENSUS,
        descriptors(Optional.of("0.4.9.11")),
        settings,
        STARTED,
        NOW,
        "0.1.0");
  }

  static final String HEADER_TOP =
      "1795699440\n"
          + "version=1.5.0\n"
          + "software=flashflow\n"
          + "software_version=0.1.0\n"
          + "file_created=2026-11-26T13:29:00\n"
          + "generator_started=2026-11-20T08:00:00\n"
          + "earliest_bandwidth=2026-11-26T13:19:00\n"
          + "latest_bandwidth=2026-11-26T13:24:00\n"
          + "tor_version=0.4.9.11\n"
          + "number_consensus_relays=5\n"
          + "number_eligible_relays=3\n"
          + "percent_eligible_relays=60\n";

  static final String HEADER_BOTTOM =
      "recent_measurement_attempt_count=8\n" + "recent_measurement_failure_count=4\n";

  static final String PARAMS =
      "flashflow_bg_percent=0.25\n"
          + "flashflow_meas_duration=30\n"
          + "flashflow_num_circs=160\n"
          + "flashflow_measurers=2\n"
          + "flashflow_max_results_age=604800\n"
          + "flashflow_relays_capped=1\n"
          + "flashflow_relays_without_descriptor=1\n"
          + "flashflow_authorities=1\n"
          + "=====\n";

  static final String LINE_A =
      "node_id=$"
          + A
          + " bw=2000 nick=alpha master_key_ed25519=keyalpha measured_at=1795699140"
          + " time=2026-11-26T13:19:00 meas_id=1 flashflow_estimate=5000000"
          + " consensus_bandwidth=4000000 desc_bw_avg=2000000 desc_bw_bur=4000000"
          + " desc_bw_obs_last=1900000 success=1 error_circ=0 error_misc=0 flashflow_capped=1";
  static final String LINE_B =
      "node_id=$"
          + B
          + " bw=1500 nick=beta master_key_ed25519=keybeta measured_at=1795699240"
          + " time=2026-11-26T13:20:40 meas_id=5 flashflow_estimate=1500000"
          + " consensus_bandwidth=1400000 desc_bw_avg=10000000 desc_bw_bur=20000000"
          + " desc_bw_obs_last=1000000 success=1 error_circ=1 error_misc=2"
          + " flashflow_error_circ_failed=1 flashflow_error_timeout=2";
  static final String LINE_C =
      "node_id=$"
          + C
          + " bw=800 nick=gamma measured_at=1795699340 time=2026-11-26T13:22:20 meas_id=6"
          + " flashflow_estimate=800000 consensus_bandwidth=700000 success=1 error_circ=0"
          + " error_misc=0";
  static final String LINE_D =
      "node_id=$"
          + D
          + " bw=3000 nick=auth master_key_ed25519=keyauth measured_at=1795699440"
          + " time=2026-11-26T13:24:00 meas_id=7 flashflow_estimate=3000000"
          + " consensus_bandwidth=20000 desc_bw_avg=1073741824 desc_bw_bur=1073741824"
          + " desc_bw_obs_last=0 success=1 error_circ=0 error_misc=0 flashflow_authority=1";
  static final String LINE_E =
      "node_id=$"
          + E
          + " bw=1 nick=eps master_key_ed25519=keyeps consensus_bandwidth=100000"
          + " desc_bw_avg=500000 desc_bw_bur=600000 desc_bw_obs_last=400000 success=0"
          + " error_circ=0 error_misc=1 flashflow_error_relay_refused=1 unmeasured=1 vote=0";

  @Test
  void capsAtBandwidthAvgCountsOutcomesAndKeepsAuthoritiesFromVoting()
      throws StaleResultsException {
    assertEquals(
        HEADER_TOP
            + "minimum_number_eligible_relays=0\n"
            + "minimum_percent_eligible_relays=0\n"
            + HEADER_BOTTOM
            + PARAMS
            + LINE_A
            + "\n"
            + LINE_B
            + "\n"
            + LINE_C
            + "\n"
            + LINE_D
            + " vote=0\n"
            + LINE_E
            + "\n",
        render(settings(0, 0)));
  }

  @Test
  void belowTheMinimumPercentEveryMeasuredRelayIsUnderMinReport() throws StaleResultsException {
    // 80 % of 5 relays = 4 eligible needed, 3 are: no votes at all.
    assertEquals(
        HEADER_TOP
            + "minimum_number_eligible_relays=4\n"
            + "minimum_percent_eligible_relays=80\n"
            + HEADER_BOTTOM
            + "flashflow_under_min_report=1\n"
            + PARAMS
            + LINE_A
            + " under_min_report=1 vote=0\n"
            + LINE_B
            + " under_min_report=1 vote=0\n"
            + LINE_C
            + " under_min_report=1 vote=0\n"
            + LINE_D
            + " under_min_report=1 vote=0\n"
            + LINE_E
            + "\n",
        render(settings(80, 0)));
  }

  @Test
  void exactlyTheMinimumNumberVotes() throws StaleResultsException {
    String text = render(settings(60, 3));
    assertTrue(text.contains("minimum_number_eligible_relays=3\n"), text);
    assertFalse(text.contains("under_min_report"), text);
    String fewer = render(settings(0, 4));
    assertTrue(fewer.contains("\nflashflow_under_min_report=1\n"), fewer);
    assertTrue(fewer.contains(LINE_C + " under_min_report=1 vote=0\n"), fewer);
  }

  @Test
  void torVersionKeepsItsFirstWordAndIsLeftOutWhenUnknown() throws StaleResultsException {
    String withGit =
        BandwidthFile.render(
            results(),
            CONSENSUS,
            descriptors(Optional.of("0.4.9.11 (git-0123456789abcdef)")),
            settings(0, 0),
            STARTED,
            NOW,
            "0.1.0");
    assertTrue(withGit.contains("\ntor_version=0.4.9.11\n"), withGit);
    String unknown =
        BandwidthFile.render(
            results(),
            CONSENSUS,
            descriptors(Optional.empty()),
            settings(0, 0),
            STARTED,
            NOW,
            "0.1.0");
    assertFalse(unknown.contains("tor_version"), unknown);
  }

  @Test
  void headerStaysWithinTorsLimitsAtItsLargest() throws StaleResultsException {
    LatestResults latest = new LatestResults(NOW, Duration.ofDays(7));
    for (int i = 0; i < 300; i++) {
      latest.accept(failed(i, A, T - i, FailReason.values()[i % FailReason.values().length]));
    }
    latest.accept(done(9999, A, T, Long.MAX_VALUE / 4));
    V3bwSettings big =
        new V3bwSettings(
            Duration.ofSeconds(Integer.MAX_VALUE),
            100,
            Integer.MAX_VALUE,
            0.123456789,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE);
    String text =
        BandwidthFile.render(
            latest,
            CONSENSUS,
            descriptors(Optional.of("0.4.9.11-alpha-dev")),
            big,
            STARTED,
            NOW,
            "0.1.0-SNAPSHOT+" + "f".repeat(40));
    String header = text.substring(text.indexOf('\n') + 1, text.indexOf("=====\n"));
    List<String> lines = header.lines().toList();
    assertTrue(lines.size() <= BandwidthFile.MAX_HEADER_LINES, lines.size() + " lines");
    for (String line : lines) {
      assertTrue(line.matches("[a-z0-9_]+=\\S+"), line);
      assertTrue(line.getBytes(StandardCharsets.UTF_8).length + 1 < 1024, line);
    }
    assertTrue(header.length() < 1024, "whole header " + header.length() + " bytes");
  }

  @Test
  void aHeaderLineTorWouldNotTakeIsRefused() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                BandwidthFile.render(
                    results(),
                    CONSENSUS,
                    descriptors(Optional.empty()),
                    settings(0, 0),
                    STARTED,
                    NOW,
                    "v".repeat(1010)));
    assertTrue(e.getMessage().startsWith("header line tor would not take: software_version="));
  }

  @Test
  void measuredRelayNotInTheConsensusTakesItsNicknameFromTheDescriptor()
      throws StaleResultsException {
    String text =
        BandwidthFile.render(
            results(),
            List.of(),
            descriptors(Optional.empty()),
            settings(0, 0),
            STARTED,
            NOW,
            "0.1.0");
    assertTrue(text.contains("node_id=$" + A + " bw=2000 nick=alpha master_key"), text);
    assertFalse(text.contains("flashflow_authority"), "authority unknown without consensus");
    assertTrue(text.contains("\nflashflow_relays_without_descriptor=1\n"), text);
  }
}
