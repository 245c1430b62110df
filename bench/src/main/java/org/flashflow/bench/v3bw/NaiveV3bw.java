package org.flashflow.bench.v3bw;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.coord.v3bw.BandwidthFile;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.StaleResultsException;
import org.flashflow.coord.v3bw.V3bwWriter;

/**
 * The straightforward implementation, for comparison: read every file whole into a list of lines
 * ({@code Files.readAllLines}; a {@code .gz} through a reader), split each with {@code
 * String.split}, group the lines per measurement in maps, put each MEASR and BG line into its
 * second ({@code ts - begin_ts}) with a map per measurement, then build the records and the file
 * the same way as the real path (same {@link LatestResults}, {@link BandwidthFile}, {@link
 * V3bwWriter}). What differs is only how the log gets into memory. (It skips the real reader's
 * checks and special cases: several BG lines in a second, lines out of range. The bench's logs have
 * none.)
 */
final class NaiveV3bw {
  private NaiveV3bw() {}

  static Path generate(Path resultsLog, Path link, Path datadir, Duration maxAge, Instant now)
      throws IOException, StaleResultsException {
    List<String> all = new ArrayList<>();
    for (Path f : new ResultsLogReader(resultsLog).files()) {
      if (f.getFileName().toString().endsWith(".gz")) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)), UTF_8))) {
          all.addAll(r.lines().collect(Collectors.toList()));
        }
      } else {
        all.addAll(Files.readAllLines(f, UTF_8));
      }
    }
    Map<Long, String[]> begins = new HashMap<>();
    Map<Long, List<String[]>> reports = new HashMap<>();
    LatestResults latest = new LatestResults(now, maxAge);
    for (String line : all) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.split(" ");
      long id = Long.parseLong(w[0]);
      switch (w[2]) {
        case "BEGIN" -> {
          begins.put(id, w);
          reports.put(id, new ArrayList<>());
        }
        case "MEASR", "BG" -> reports.get(id).add(w);
        case "END", "FAIL" -> {
          String[] b = begins.remove(id);
          List<String[]> lines = reports.remove(id);
          latest.accept(record(id, b, lines, w[2].equals("FAIL")));
        }
        default -> {}
      }
    }
    String content =
        BandwidthFile.render(latest, new ConsensusStore(datadir).load(), now, now, "bench");
    return new V3bwWriter(link).write(content, now);
  }

  private static MeasurementRecord record(
      long id, String[] begin, List<String[]> lines, boolean failed) {
    long beginTs = Long.parseLong(begin[1]);
    Map<Integer, List<Long>> recv = new HashMap<>();
    Map<Integer, long[]> bg = new HashMap<>();
    int n = 0;
    for (String[] w : lines) {
      int second = (int) (Long.parseLong(w[1]) - beginTs);
      n = Math.max(n, second + 1);
      if (w[2].equals("MEASR")) {
        recv.computeIfAbsent(second, k -> new ArrayList<>()).add(Long.parseLong(w[3]));
      } else {
        bg.put(second, new long[] {Long.parseLong(w[3]), Long.parseLong(w[4])});
      }
    }
    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long[] b = bg.getOrDefault(i, new long[2]);
      seconds.add(new MeasurementRecord.Second(recv.getOrDefault(i, List.of()), b[0], b[1]));
    }
    Optional<MeasurementRecord.Failed> failure =
        failed
            ? Optional.of(
                new MeasurementRecord.Failed(org.flashflow.coord.core.FailReason.TIMEOUT, "naive"))
            : Optional.empty();
    return new MeasurementRecord(id, begin[3], beginTs, seconds, failure);
  }
}
