package org.flashflow.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ResultsLogFormat;
import org.flashflow.coord.schedule.SlotClock;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.DescriptorStore;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;

/**
 * A coordinator's files with a known content, and how many marks each chart of their report must
 * have. Twelve relays: 0-10 in the consensus (relay 2 with weight 0, which a log axis cannot show),
 * 0-7 with a descriptor; relay 1 above its bandwidth-avg (capped), relay 3 a liar, relay 4's newest
 * measurement failed, relay 9 only failed, relay 11 is in neither consensus nor descriptors.
 */
final class ReportFixture {
  static final int RELAYS = 12;
  static final int SECONDS = 5;
  static final int MEASURERS = 2;
  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  final Path datadir;
  final Path log;
  final Path stateFile;
  final List<MeasurementRecord> records = new ArrayList<>();

  static String fp(int relay) {
    return String.format(Locale.ROOT, "%040X", 0xF0F0L + relay);
  }

  ReportFixture(Path dir) throws IOException {
    datadir = dir.resolve("data");
    log = datadir.resolve("results/results.log");
    stateFile = datadir.resolve("state.json");
    Files.createDirectories(log.getParent());
    long id = 1;
    long begin = NOW.getEpochSecond() - 3 * 3600;
    for (int round = 0; round < 2; round++) {
      for (int r = 0; r < RELAYS; r++) {
        begin += 97;
        boolean fail = r == 9 || (r == 4 && round == 1) || (r == 6 && round == 0);
        if (fail) {
          FailReason reason = r == 9 ? FailReason.RELAY_REFUSED : FailReason.TIMEOUT;
          records.add(
              new MeasurementRecord(
                  id++,
                  fp(r),
                  begin,
                  List.of(),
                  Optional.of(new MeasurementRecord.Failed(reason, "fixture"))));
          continue;
        }
        long capacity = (r + 1) * 1_000_000L * (round + 1);
        List<MeasurementRecord.Second> seconds = new ArrayList<>();
        for (int s = 0; s < SECONDS; s++) {
          long each = capacity / MEASURERS + s * 1000;
          long measured = each * MEASURERS;
          long claimed = r == 3 ? 10 * capacity : capacity / 20;
          seconds.add(
              new MeasurementRecord.Second(
                  List.of(each, each), claimed, measured / 3)); // r = 0.25: max_bg = measured / 3
        }
        records.add(
            new MeasurementRecord(
                id++, fp(r), begin, seconds, Optional.empty(), OptionalLong.empty()));
      }
    }
    StringBuilder sb = new StringBuilder();
    records.forEach(rec -> ResultsLogFormat.appendTo(sb, rec));
    Files.writeString(log, sb.toString());

    List<RouterStatus> consensus = new ArrayList<>();
    for (int r = 0; r <= 10; r++) {
      consensus.add(
          new RouterStatus(
              "relay" + r,
              fp(r),
              NOW.minusSeconds(3600),
              "10.0.0." + r,
              9001,
              0,
              Set.of("Fast", "Running", "Valid"),
              r == 2 ? 0 : 900L * (r + 1),
              OptionalLong.empty()));
    }
    new ConsensusStore(datadir).save(consensus, NOW);
    List<ServerDescriptor> descs = new ArrayList<>();
    for (int r = 0; r <= 7; r++) {
      long avg = r == 1 ? 1_000_000 : 100_000_000;
      descs.add(
          new ServerDescriptor(
              "relay" + r,
              fp(r),
              "10.0.0." + r,
              9001,
              NOW.minusSeconds(3600),
              Optional.empty(),
              avg,
              2 * avg,
              (r + 1) * 800_000L));
    }
    new DescriptorStore(datadir).save(descs, Optional.of("0.4.8.13"));

    SlotClock clock = new SlotClock(Duration.ofDays(1), Duration.ofSeconds(35));
    StringBuilder entries = new StringBuilder();
    String[] states = {"DONE", "DONE", "DONE", "PLANNED", "RUNNING", "GAVE_UP"};
    for (int i = 0; i < states.length; i++) {
      entries
          .append(i == 0 ? "" : ",")
          .append("{\"fp\":\"")
          .append(fp(i))
          .append("\",\"state\":\"")
          .append(states[i])
          .append("\",\"kind\":\"SCHEDULED\",\"slot\":")
          .append(i)
          .append(",\"need\":1000,\"given\":1000,\"attempts\":1,\"detail\":\"\"}");
    }
    Files.writeString(
        stateFile,
        "{\"version\":1,\"periodSeconds\":86400,\"slotSeconds\":35,\"schedule\":{\"period\":"
            + clock.periodIndex(NOW)
            + ",\"nextDue\":1200,\"capacity\":100000000,\"entries\":["
            + entries
            + "]}}");
  }

  Report.Settings settings(Path out, Optional<String> relay) {
    return new Report.Settings(
        log, datadir, stateFile, Duration.ofDays(1), relay, out, "test", NOW);
  }

  /** Marks per series each chart must have, by chart id. */
  Map<String, Map<String, Integer>> expected(Optional<String> relay) {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    // newest completed per relay: relays 0-11 but 9; relay 4's from round 0
    int inConsensusWithWeight = 9; // 0-10 but 2 and 9
    int withDescriptor = 8; // 0-7
    out.put(
        "estimates",
        Map.of(
            Charts.CONSENSUS,
            inConsensusWithWeight,
            Charts.ADVERTISED,
            withDescriptor,
            Charts.CLAMPED,
            1,
            Charts.CAPPED,
            1));
    Map<Integer, Integer> bins = new HashMap<>();
    for (int r = 0; r < RELAYS; r++) {
      if (r == 9) {
        continue;
      }
      double estimate = newestEstimate(r);
      bins.merge((int) Math.floor(Math.log10(estimate / 1e6) * 5), 1, Integer::sum);
    }
    out.put("distribution", Map.of(Charts.RELAYS, bins.size()));
    Map<String, Integer> outcomes = new HashMap<>();
    Map<String, Set<Long>> minutes = new HashMap<>();
    for (MeasurementRecord rec : records) {
      String key =
          rec.completed()
              ? Charts.COMPLETED
              : "failed: " + rec.failure().orElseThrow().reason().name();
      minutes.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(rec.beginTs() / 60);
    }
    minutes.forEach((k, v) -> outcomes.put(k, v.size()));
    out.put("outcomes", outcomes);
    out.put("progress", Map.of(Charts.RELAYS, 4)); // DONE, PLANNED, RUNNING, GAVE_UP
    Map<String, Integer> seconds = new HashMap<>();
    for (int m = 1; m <= MEASURERS; m++) {
      seconds.put(Charts.MEASURER + m, SECONDS);
    }
    seconds.put(Charts.CLAIMED, SECONDS);
    seconds.put(Charts.BELIEVED, SECONDS);
    seconds.put(Charts.SUM, SECONDS);
    out.put("seconds", seconds);
    return out;
  }

  private double newestEstimate(int relay) {
    MeasurementRecord newest = null;
    for (MeasurementRecord rec : records) {
      if (rec.relayFp().equals(fp(relay)) && rec.completed()) {
        newest = rec;
      }
    }
    return org.flashflow.coord.core.Estimate.estimate(newest);
  }

  private static final Pattern CHART =
      Pattern.compile("<svg id=[\"']chart-(\\w+)[\"'].*?</svg>", Pattern.DOTALL);
  private static final Pattern MARK =
      Pattern.compile(
          "jfreesvg:ref=[\"']\\{&quot;seriesKey&quot;: &quot;(.*?)&quot;, &quot;itemIndex&quot;:"
              + " (\\d+)\\}[\"']");

  /** The marks of each inlined chart of a page (or of one SVG file): chart id, series, count. */
  static Map<String, Map<String, Integer>> marks(String html) {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    Matcher chart = CHART.matcher(html);
    while (chart.find()) {
      Map<String, Set<String>> seen = new TreeMap<>();
      Matcher m = MARK.matcher(chart.group());
      while (m.find()) {
        seen.computeIfAbsent(m.group(1), k -> new java.util.HashSet<>()).add(m.group(2));
      }
      Map<String, Integer> counts = new TreeMap<>();
      seen.forEach((k, v) -> counts.put(k, v.size()));
      out.put(chart.group(1), counts);
    }
    return out;
  }
}
