package org.flashflow.coord.v3bw;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.RecentOutcomes;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;

/**
 * Renders the v3bw bandwidth file of docs/protocol.md section 7 (Tor bandwidth-file spec, version
 * 1.5.0; every key is described in docs/bandwidth-file.md) from the latest results. Pure: all times
 * come in as arguments.
 *
 * <p>The rules tor enforces decide the shape: line 1 is the unix time of the newest result used
 * (tor ignores a file whose timestamp is older than 3 days, so such a file is not rendered at all),
 * {@code \n} only, no value with a space, at most 50 header lines each under 1 KiB, one line per
 * relay. Consensus relays without a usable result get {@code bw=1 unmeasured=1 vote=0}, so tor
 * ignores them rather than voting them down to 1. With an empty consensus (e.g. the offline
 * generator without a saved one) only the measured relays are listed and the consensus counts are
 * left out, as they are unknown.
 *
 * <p>The spec's rules on top: {@code bw} is capped at the relay's descriptor {@code bandwidth-avg}
 * (what its operator allows; {@code flashflow_capped=1}), relays with the Authority flag get {@code
 * vote=0 flashflow_authority=1} (dir-spec: no {@code Measured=} for authorities), and with fewer
 * eligible relays than {@code minimum_*_eligible_relays} every measured relay gets {@code vote=0
 * under_min_report=1}, as sbws does.
 */
public final class BandwidthFile {
  /** The bandwidth-file spec version whose keys are written. */
  public static final String VERSION = "1.5.0";

  /** tor ignores a bandwidth file whose timestamp line is older than this. */
  public static final Duration TOR_MAX_AGE = Duration.ofDays(3);

  /** tor puts at most this many header lines into its vote (MAX_BW_FILE_HEADER_COUNT_IN_VOTE). */
  public static final int MAX_HEADER_LINES = 50;

  /** Every header line must be shorter than this many bytes. */
  public static final int MAX_HEADER_LINE_BYTES = 1024;

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9]{1,19}");
  private static final Pattern NO_SPACES = Pattern.compile("\\S+");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern VALUE = Pattern.compile("[\\x21-\\x7e]+");

  private BandwidthFile() {}

  /**
   * The whole file, without descriptors and with the default settings (as before descriptors were
   * known): no cap, no minimum of eligible relays.
   */
  public static String render(
      LatestResults results,
      List<RouterStatus> consensus,
      Instant generatorStarted,
      Instant now,
      String softwareVersion)
      throws StaleResultsException {
    return render(
        results,
        consensus,
        DescriptorStore.Saved.NONE,
        V3bwSettings.DEFAULT,
        generatorStarted,
        now,
        softwareVersion);
  }

  /**
   * The whole file.
   *
   * @param consensus the relays tor votes on; may be empty
   * @param descriptors each relay's newest server descriptor (may be none) and tor's version
   * @param generatorStarted when this coordinator (or offline generator) started
   * @param softwareVersion flashflow's version, without spaces
   * @throws StaleResultsException if no result is at most 3 days older than {@code now}
   */
  public static String render(
      LatestResults results,
      List<RouterStatus> consensus,
      DescriptorStore.Saved descriptors,
      V3bwSettings settings,
      Instant generatorStarted,
      Instant now,
      String softwareVersion)
      throws StaleResultsException {
    LatestResults.Result newest =
        results
            .newest()
            .orElseThrow(() -> new StaleResultsException("no measurement results to vote on"));
    long oldestAccepted = now.minus(TOR_MAX_AGE).getEpochSecond();
    if (newest.beginTs() < oldestAccepted) {
      throw new StaleResultsException(
          "newest result is from "
              + iso(newest.beginTs())
              + ", older than 3 days; tor would ignore the file");
    }
    if (!NO_SPACES.matcher(softwareVersion).matches()) {
      throw new IllegalArgumentException("software version with spaces: '" + softwareVersion + "'");
    }
    SortedMap<String, RouterStatus> relays = new TreeMap<>();
    for (RouterStatus rs : consensus) {
      relays.putIfAbsent(rs.fingerprint(), rs);
    }
    SortedMap<String, LatestResults.Result> measured = results.results();
    SortedMap<String, ServerDescriptor> descs = descriptors.byFingerprint();
    long eligible =
        measured.keySet().stream()
            .filter(relays::containsKey)
            .filter(fp -> !isAuthority(relays.get(fp)))
            .count();
    if (relays.isEmpty()) {
      eligible = measured.size();
    }
    long minimumEligible = settings.minimumEligible(relays.size());
    boolean underMinimum = eligible < minimumEligible;

    SortedSet<String> all = new TreeSet<>(measured.keySet());
    all.addAll(relays.keySet());
    StringBuilder body = new StringBuilder(120 * all.size());
    Tally tally = new Tally();
    for (String fp : all) {
      relayLine(
          body,
          fp,
          measured.get(fp),
          relays.get(fp),
          descs.get(fp),
          results.counts(fp),
          underMinimum,
          tally);
    }

    List<String[]> header = new ArrayList<>();
    kv(header, "version", VERSION);
    kv(header, "software", "flashflow");
    kv(header, "software_version", softwareVersion);
    kv(header, "file_created", iso(now.getEpochSecond()));
    kv(header, "generator_started", iso(generatorStarted.getEpochSecond()));
    kv(header, "earliest_bandwidth", iso(results.oldest().orElseThrow().beginTs()));
    kv(header, "latest_bandwidth", iso(newest.beginTs()));
    descriptors
        .torVersion()
        .map(v -> v.split(" ", 2)[0])
        .filter(v -> VALUE.matcher(v).matches())
        .ifPresent(v -> kv(header, "tor_version", v));
    if (!relays.isEmpty()) {
      kv(header, "number_consensus_relays", relays.size());
    }
    kv(header, "number_eligible_relays", eligible);
    if (!relays.isEmpty()) {
      kv(header, "percent_eligible_relays", Math.round(100.0 * eligible / relays.size()));
    }
    kv(header, "minimum_number_eligible_relays", minimumEligible);
    kv(header, "minimum_percent_eligible_relays", settings.minimumPercentEligible());
    kv(header, "recent_measurement_attempt_count", tally.attempts);
    kv(header, "recent_measurement_failure_count", tally.failures);
    if (underMinimum) {
      kv(header, "flashflow_under_min_report", 1);
    }
    kv(header, "flashflow_bg_percent", decimal(settings.bgPercent()));
    kv(header, "flashflow_meas_duration", settings.measDuration());
    kv(header, "flashflow_num_circs", settings.numCircs());
    if (settings.measurers() > 0) {
      kv(header, "flashflow_measurers", settings.measurers());
    }
    kv(header, "flashflow_max_results_age", settings.maxResultsAge().getSeconds());
    kv(header, "flashflow_relays_capped", tally.capped);
    kv(header, "flashflow_relays_without_descriptor", tally.withoutDescriptor);
    if (!relays.isEmpty()) {
      kv(header, "flashflow_authorities", tally.authorities);
    }

    StringBuilder sb = new StringBuilder(1024 + body.length());
    sb.append(newest.beginTs()).append('\n');
    appendHeader(sb, header);
    sb.append("=====\n");
    sb.append(body);
    return sb.toString();
  }

  /** What the relay lines add up to, for the header. */
  private static final class Tally {
    long attempts;
    long failures;
    long capped;
    long withoutDescriptor;
    long authorities;
  }

  private static void relayLine(
      StringBuilder sb,
      String fp,
      LatestResults.Result r,
      RouterStatus rs,
      ServerDescriptor d,
      RecentOutcomes.Counts counts,
      boolean underMinimum,
      Tally tally) {
    boolean authority = isAuthority(rs);
    long bw = 1;
    boolean capped = false;
    if (r != null) {
      bw = kiloBytes(r.estimate());
      if (d != null && r.estimate() > d.bandwidthAvg()) {
        bw = Math.min(bw, kiloBytes(d.bandwidthAvg()));
        capped = true;
        tally.capped++;
      }
      if (d == null) {
        tally.withoutDescriptor++;
      }
    }
    if (authority) {
      tally.authorities++;
    }
    tally.attempts += counts.attempts();
    tally.failures += counts.failureCount();

    sb.append("node_id=$").append(fp);
    sb.append(" bw=").append(bw);
    String nick = rs != null ? rs.nickname() : d != null ? d.nickname() : null;
    if (nick != null && NICKNAME.matcher(nick).matches()) {
      sb.append(" nick=").append(nick);
    }
    if (d != null) {
      d.masterKeyEd25519()
          .filter(k -> VALUE.matcher(k).matches())
          .ifPresent(k -> sb.append(" master_key_ed25519=").append(k));
    }
    if (r != null) {
      sb.append(" measured_at=").append(r.beginTs());
      sb.append(" time=").append(iso(r.beginTs()));
      sb.append(" meas_id=").append(r.measId());
      sb.append(" flashflow_estimate=").append(Math.round(r.estimate()));
    }
    if (rs != null) {
      sb.append(" consensus_bandwidth=").append(rs.bandwidthKbs() * 1000);
    }
    if (d != null) {
      sb.append(" desc_bw_avg=").append(d.bandwidthAvg());
      sb.append(" desc_bw_bur=").append(d.bandwidthBurst());
      sb.append(" desc_bw_obs_last=").append(d.bandwidthObserved());
    }
    if (counts.attempts() > 0) {
      int circ = counts.failures().getOrDefault(FailReason.CIRC_FAILED, 0);
      sb.append(" success=").append(counts.successes());
      sb.append(" error_circ=").append(circ);
      sb.append(" error_misc=").append(counts.failureCount() - circ);
      for (Map.Entry<FailReason, Integer> e : counts.failures().entrySet()) {
        sb.append(" flashflow_error_")
            .append(e.getKey().name().toLowerCase(Locale.ROOT))
            .append('=')
            .append(e.getValue());
      }
    }
    if (r != null && r.measurerLimited()) {
      sb.append(" flashflow_measurer_limited=1");
    }
    if (capped) {
      sb.append(" flashflow_capped=1");
    }
    if (authority) {
      sb.append(" flashflow_authority=1");
    }
    if (r == null) {
      sb.append(" unmeasured=1 vote=0");
    } else if (underMinimum) {
      sb.append(" under_min_report=1 vote=0");
    } else if (authority) {
      sb.append(" vote=0");
    }
    sb.append('\n');
  }

  private static boolean isAuthority(RouterStatus rs) {
    return rs != null && rs.flags().contains("Authority");
  }

  /** bytes/s to the file's kB/s (1000 bytes), rounded, at least 1 (tor's minimum). */
  static long kiloBytes(double bytesPerSecond) {
    return Math.max(1, Math.round(bytesPerSecond / 1000));
  }

  /** The spec's ISO 8601 form, UTC, without zone suffix: {@code 2026-11-26T13:29:00}. */
  static String iso(long unixSeconds) {
    return ISO.format(Instant.ofEpochSecond(unixSeconds));
  }

  /** A config fraction as the operator wrote it: {@code 0.25}, not {@code 0.25000000000000001}. */
  private static String decimal(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static void kv(List<String[]> header, String key, long value) {
    kv(header, key, Long.toString(value));
  }

  private static void kv(List<String[]> header, String key, String value) {
    header.add(new String[] {key, value});
  }

  /**
   * Writes the header lines, checking tor's limits; a violation is a bug here, not bad input, so it
   * fails loudly instead of writing a file tor would partly ignore.
   */
  private static void appendHeader(StringBuilder sb, List<String[]> header) {
    if (header.size() > MAX_HEADER_LINES) {
      throw new IllegalStateException(header.size() + " header lines, tor reads 50");
    }
    for (String[] kv : header) {
      String line = kv[0] + "=" + kv[1];
      if (!KEY.matcher(kv[0]).matches()
          || !VALUE.matcher(kv[1]).matches()
          || line.getBytes(StandardCharsets.UTF_8).length + 1 >= MAX_HEADER_LINE_BYTES) {
        throw new IllegalStateException("header line tor would not take: " + line);
      }
      sb.append(line).append('\n');
    }
  }
}
