package org.flashflow.coord.results;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.flashflow.torctl.RouterStatus;

/**
 * Renders the v3bw bandwidth file of protocol.md section 7 (Tor bandwidth-file spec, version 1.5.0)
 * from the latest results. Pure: all times come in as arguments.
 *
 * <p>The rules tor enforces decide the shape: line 1 is the unix time of the newest result used
 * (tor ignores a file whose timestamp is older than 3 days, so such a file is not rendered at all),
 * {@code \n} only, no value with a space, one line per relay. Consensus relays without a usable
 * result get {@code bw=1 unmeasured=1 vote=0}, so tor ignores them rather than voting them down to
 * 1. With an empty consensus (e.g. the offline generator without a saved one) only the measured
 * relays are listed and the consensus counts are left out, as they are unknown.
 */
public final class BandwidthFile {
  /** The bandwidth-file spec version whose keys are written. */
  public static final String VERSION = "1.5.0";

  /** tor ignores a bandwidth file whose timestamp line is older than this. */
  public static final Duration TOR_MAX_AGE = Duration.ofDays(3);

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9]{1,19}");
  private static final Pattern NO_SPACES = Pattern.compile("\\S+");

  private BandwidthFile() {}

  /**
   * The whole file.
   *
   * @param consensus the relays tor votes on; may be empty
   * @param generatorStarted when this coordinator (or offline generator) started
   * @param softwareVersion flashflow's version, without spaces
   * @throws StaleResultsException if no result is at most 3 days older than {@code now}
   */
  public static String render(
      LatestResults results,
      List<RouterStatus> consensus,
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
    long eligible = measured.keySet().stream().filter(relays::containsKey).count();

    StringBuilder sb = new StringBuilder(256 + 120 * Math.max(relays.size(), measured.size()));
    sb.append(newest.beginTs()).append('\n');
    kv(sb, "version", VERSION);
    kv(sb, "software", "flashflow");
    kv(sb, "software_version", softwareVersion);
    kv(sb, "file_created", iso(now.getEpochSecond()));
    kv(sb, "generator_started", iso(generatorStarted.getEpochSecond()));
    kv(sb, "earliest_bandwidth", iso(results.oldest().orElseThrow().beginTs()));
    kv(sb, "latest_bandwidth", iso(newest.beginTs()));
    if (!relays.isEmpty()) {
      kv(sb, "number_consensus_relays", Integer.toString(relays.size()));
    }
    kv(sb, "number_eligible_relays", Long.toString(relays.isEmpty() ? measured.size() : eligible));
    if (!relays.isEmpty()) {
      kv(
          sb,
          "percent_eligible_relays",
          Long.toString(Math.round(100.0 * eligible / relays.size())));
    }
    sb.append("=====\n");
    relayLines(sb, measured, relays);
    return sb.toString();
  }

  private static void relayLines(
      StringBuilder sb,
      SortedMap<String, LatestResults.Result> measured,
      SortedMap<String, RouterStatus> relays) {
    SortedMap<String, Boolean> all = new TreeMap<>();
    measured.keySet().forEach(fp -> all.put(fp, true));
    relays.keySet().forEach(fp -> all.putIfAbsent(fp, false));
    for (Map.Entry<String, Boolean> e : all.entrySet()) {
      String fp = e.getKey();
      sb.append("node_id=$").append(fp);
      LatestResults.Result r = measured.get(fp);
      sb.append(" bw=").append(r == null ? 1 : kiloBytes(r.estimate()));
      RouterStatus rs = relays.get(fp);
      if (rs != null && rs.nickname() != null && NICKNAME.matcher(rs.nickname()).matches()) {
        sb.append(" nick=").append(rs.nickname());
      }
      if (r == null) {
        sb.append(" unmeasured=1 vote=0");
      } else {
        sb.append(" measured_at=").append(r.beginTs());
        sb.append(" time=").append(iso(r.beginTs()));
        sb.append(" meas_id=").append(r.measId());
      }
      sb.append('\n');
    }
  }

  /** bytes/s to the file's kB/s (1000 bytes), rounded, at least 1 (tor's minimum). */
  static long kiloBytes(double bytesPerSecond) {
    return Math.max(1, Math.round(bytesPerSecond / 1000));
  }

  /** The spec's ISO 8601 form, UTC, without zone suffix: {@code 2026-11-26T13:29:00}. */
  static String iso(long unixSeconds) {
    return ISO.format(Instant.ofEpochSecond(unixSeconds));
  }

  private static void kv(StringBuilder sb, String key, String value) {
    sb.append(key).append('=').append(value).append('\n');
  }
}
