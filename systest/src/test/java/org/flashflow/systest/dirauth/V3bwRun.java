package org.flashflow.systest.dirauth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ResultsLogFormat;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.torctl.model.RouterStatus;

/**
 * A coordinator's datadir as {@code flashflow v3bw -c coord.ini} finds it (results log, saved
 * consensus), and the command itself, run as the operator runs it: {@code java -cp ...
 * org.flashflow.cli.Main v3bw -c coord.ini} in its own process.
 */
final class V3bwRun {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final double BG_PERCENT = 0.25;

  final Path ini;
  final Path datadir;
  final Path resultsDir;
  final Path link;
  private final StringBuilder log = new StringBuilder();
  private long nextMeasId = 100;

  /**
   * A coord.ini with {@code [coord] datadir} and no minimum of eligible relays: the results log and
   * v3bw are the defaults.
   */
  V3bwRun(Path dir) throws IOException {
    this.datadir = dir.resolve("coord");
    this.resultsDir = datadir.resolve("results");
    this.link = datadir.resolve("v3bw/v3bw");
    this.ini = dir.resolve("coord.ini");
    Files.createDirectories(resultsDir);
    // The authorities themselves are in the consensus but never eligible, so in this small
    // network the default 60% could leave the file without a vote; voting is what is tested here.
    Files.writeString(
        ini,
        "[coord]\ndatadir = " + datadir + "\n[v3bw]\nminimum_percent_eligible_relays = 0\n",
        UTF_8);
  }

  /**
   * Adds a completed measurement of {@code fp} that began at {@code beginTs} whose estimate is
   * {@code kbs * 1000} bytes/s: five seconds in which two measurers received 60 % and 30 % and the
   * relay claimed 10 % background (within the 25 % cap), plus one slow second the median discards.
   *
   * @return the {@code bw} the file must show
   */
  long measured(String fp, long beginTs, long kbs) {
    long total = kbs * 1000;
    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      seconds.add(
          Estimate.second(
              List.of(total * 6 / 10, total * 3 / 10), total / 10, total / 10, BG_PERCENT));
    }
    seconds.add(2, Estimate.second(List.of(total / 10, total / 10), 0, 0, BG_PERCENT));
    MeasurementRecord r =
        new MeasurementRecord(nextMeasId++, fp, beginTs, seconds, Optional.empty());
    if (Estimate.estimate(r) != total) {
      throw new AssertionError("test data: estimate " + Estimate.estimate(r) + " != " + total);
    }
    ResultsLogFormat.appendTo(log, r);
    return kbs;
  }

  /** Writes the results log and, unless empty, the saved consensus. */
  void save(List<RouterStatus> consensus) throws IOException {
    Files.writeString(resultsDir.resolve("results.log"), log, UTF_8);
    if (!consensus.isEmpty()) {
      new ConsensusStore(datadir).save(consensus, Instant.now());
    }
  }

  /** Runs {@code flashflow v3bw -c coord.ini}; whatever it exits with. */
  Exec.Result run() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return Exec.run(
        List.of(
            java,
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "org.flashflow.cli.Main",
            "v3bw",
            "-c",
            ini.toString()),
        "",
        COMMAND_TIMEOUT);
  }

  /** The names in the results directory, sorted. */
  List<String> resultsDirNames() throws IOException {
    try (var files = Files.list(resultsDir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A bandwidth file, read back: line 1, the header lines, and each relay line's keys. */
  record Parsed(
      long timestamp, Map<String, String> header, Map<String, Map<String, String>> relays) {
    static Parsed read(Path file) throws IOException {
      String text = Files.readString(file, UTF_8);
      if (!text.endsWith("\n") || text.contains("\r")) {
        throw new AssertionError("not \\n-terminated lines: " + file);
      }
      List<String> lines = text.lines().toList();
      long ts = Long.parseLong(lines.get(0));
      Map<String, String> header = new LinkedHashMap<>();
      Map<String, Map<String, String>> relays = new TreeMap<>();
      int i = 1;
      for (; !lines.get(i).equals("====="); i++) {
        String[] kv = lines.get(i).split("=", 2);
        header.put(kv[0], kv[1]);
      }
      for (i++; i < lines.size(); i++) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String kv : lines.get(i).split(" ")) {
          String[] p = kv.split("=", 2);
          keys.put(p[0], p[1]);
        }
        String id = keys.get("node_id");
        if (!id.matches("\\$[0-9A-F]{40}") || relays.put(id.substring(1), keys) != null) {
          throw new AssertionError("bad or repeated node_id in line: " + lines.get(i));
        }
      }
      return new Parsed(ts, header, relays);
    }

    long bw(String fp) {
      return Long.parseLong(relays.get(fp).get("bw"));
    }
  }
}
