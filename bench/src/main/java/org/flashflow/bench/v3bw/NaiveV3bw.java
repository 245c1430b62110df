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
 * String.split}, group the lines per measurement in maps, then build the records and the file the
 * same way as the real path (same {@link LatestResults}, {@link BandwidthFile}, {@link
 * V3bwWriter}). What differs is only how the log gets into memory.
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
    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    List<Long> recv = new ArrayList<>();
    for (String[] w : lines) {
      if (w[2].equals("MEASR")) {
        recv.add(Long.parseLong(w[3]));
      } else {
        seconds.add(new MeasurementRecord.Second(recv, Long.parseLong(w[3]), Long.parseLong(w[4])));
        recv = new ArrayList<>();
      }
    }
    Optional<MeasurementRecord.Failed> failure =
        failed
            ? Optional.of(
                new MeasurementRecord.Failed(org.flashflow.coord.core.FailReason.TIMEOUT, "naive"))
            : Optional.empty();
    return new MeasurementRecord(id, begin[3], Long.parseLong(begin[1]), seconds, failure);
  }
}
