package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.v3bw.BandwidthFileTest;
import org.flashflow.coord.v3bw.DescriptorStore;
import org.flashflow.coord.v3bw.V3bwGenerator;
import org.flashflow.torctl.model.RouterStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader does not depend on the order of lines that docs/protocol.md section 6 leaves open.
 * Many measurements, as the coordinator computes them ({@link Estimate#second}) and our writer
 * renders them ({@link ResultsLogFormat}), are written three ways: in the writer's order into one
 * file; with the lines of each measurement reordered (within each second, or all MEASR lines before
 * all BG lines as the original Python coordinator writes them, or entirely), concurrent
 * measurements interleaved line by line, and split at measurement boundaries into {@code
 * results.log.2.gz}, {@code results.log.1} and {@code results.log}; and not at all, their results
 * handed to the bandwidth file in memory as the coordinator does. The bandwidth files ({@link
 * V3bwGenerator}, the path {@code flashflow v3bw} takes) must be byte for byte the same: same
 * estimates, same outcome counts. The clock is fixed, so even the timestamps agree.
 */
class ResultsLogOrderPropertyTest {
  private static final Instant NOW = BandwidthFileTest.NOW;
  private static final Duration MAX_AGE = Duration.ofDays(7);
  private static final double R = 0.25;
  private static final int RELAYS = 40;

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 316, 4711, 20_260_101})
  void reorderedInterleavedRotatedLogGivesTheSameBandwidthFile(long seed) throws Exception {
    Random random = new Random(seed);
    List<MeasurementRecord> records = records(random);
    List<RouterStatus> consensus = consensus();

    // The coordinator's own path: results straight from the records, no log.
    LatestResults live = new LatestResults(NOW, MAX_AGE);
    records.forEach(live::accept);
    Path fromMemory =
        generator(logIn("memory"))
            .generate(live.candidates(), live.outcomes(), consensus, DescriptorStore.Saved.NONE);

    // The writer's order, one file.
    Path plainLog = logIn("plain");
    StringBuilder sb = new StringBuilder();
    records.forEach(r -> ResultsLogFormat.appendTo(sb, r));
    Files.writeString(plainLog, sb);
    Path fromPlain = generator(plainLog).generate(consensus);

    // Reordered, interleaved, rotated.
    Path mixedLog = logIn("mixed");
    writeMixed(random, records, mixedLog);
    Path fromMixed = generator(mixedLog).generate(consensus);

    String expected = Files.readString(fromMemory);
    assertEquals(expected, Files.readString(fromPlain), "writer's order vs in memory");
    assertEquals(expected, Files.readString(fromMixed), "reordered and rotated vs in memory");
    assertEquals(RELAYS, expected.lines().filter(l -> l.contains(" flashflow_estimate=")).count());

    // The coordinator's startup load of its in-memory results reads the same way.
    LatestResults everything = new LatestResults(Instant.EPOCH, Duration.ZERO);
    records.forEach(everything::accept);
    assertEquals(
        everything.candidates(),
        List.copyOf(LatestResultsCache.load(new ResultsLogReader(mixedLog))),
        "startup load");
  }

  /**
   * Measurements of {@link #RELAYS} relays over the last 8 days (so some are too old to count), 1
   * to 4 measurers, 1 to 30 seconds, some failed (with or without seconds), some with a given
   * capacity (about half of those measurer-limited).
   */
  private static List<MeasurementRecord> records(Random random) {
    List<MeasurementRecord> out = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    long start = NOW.getEpochSecond() - 8 * 86_400;
    long ts = start;
    for (int i = 0; i < 400; i++) {
      ts = start + i * 1700L + random.nextInt(60);
      long id;
      do {
        id = 1 + random.nextInt(Integer.MAX_VALUE);
      } while (!ids.add(id));
      String fp = fingerprint(random.nextInt(RELAYS));
      int measurers = 1 + random.nextInt(4);
      double capacity = 50_000 + random.nextInt(20_000_000);
      int duration = 1 + random.nextInt(30);
      boolean fails = random.nextInt(8) == 0;
      if (fails) {
        duration = random.nextBoolean() ? 0 : random.nextInt(duration);
      }
      List<MeasurementRecord.Second> seconds = new ArrayList<>();
      for (int s = 0; s < duration; s++) {
        List<Long> recv = new ArrayList<>();
        for (int m = 0; m < measurers; m++) {
          recv.add((long) (capacity / measurers * (0.7 + 0.3 * random.nextDouble())));
        }
        long bgSent = (long) (capacity * 0.4 * random.nextDouble());
        long bgRecv = (long) (capacity * 0.4 * random.nextDouble());
        seconds.add(Estimate.second(recv, bgSent, bgRecv, R));
      }
      OptionalLong given =
          random.nextInt(3) == 0
              ? OptionalLong.of((long) (capacity * (random.nextBoolean() ? 0.9 : 3)))
              : OptionalLong.empty();
      Optional<MeasurementRecord.Failed> failure =
          fails
              ? Optional.of(new MeasurementRecord.Failed(FailReason.REPORTS_STOPPED, "test"))
              : Optional.empty();
      out.add(new MeasurementRecord(id, fp, ts, seconds, failure, given));
    }
    // Every relay has at least one completed measurement, so each gets a line with an estimate.
    for (int r = 0; r < RELAYS; r++) {
      ts += 1;
      List<MeasurementRecord.Second> one =
          List.of(Estimate.second(List.of(1000L + r, 2000L), 100, 300, R));
      out.add(
          new MeasurementRecord(10_000_000_000L + r, fingerprint(r), ts, one, Optional.empty()));
    }
    return out;
  }

  /**
   * Each measurement's lines reordered, the measurements cut into three files at measurement
   * boundaries, and within each file the lines of up to four measurements at a time interleaved.
   */
  private static void writeMixed(Random random, List<MeasurementRecord> records, Path log)
      throws IOException {
    int n = records.size();
    int cut1 = 1 + random.nextInt(n / 3);
    int cut2 = cut1 + 1 + random.nextInt(n / 3);
    Map<String, List<MeasurementRecord>> files = new LinkedHashMap<>();
    files.put("results.log.2.gz", records.subList(0, cut1));
    files.put("results.log.1", records.subList(cut1, cut2));
    files.put("results.log", records.subList(cut2, n));
    for (Map.Entry<String, List<MeasurementRecord>> f : files.entrySet()) {
      List<List<String>> perMeasurement = new ArrayList<>();
      for (MeasurementRecord r : f.getValue()) {
        perMeasurement.add(reordered(random, r));
      }
      String text = String.join("\n", interleave(random, perMeasurement)) + "\n";
      Path file = log.resolveSibling(f.getKey());
      if (f.getKey().endsWith(".gz")) {
        Files.write(file, ResultsLogReaderTest.gzip(text));
      } else {
        Files.writeString(file, text, UTF_8);
      }
    }
  }

  /**
   * The record's lines with BEGIN (and GIVEN) first and END or FAIL last, and the MEASR and BG
   * lines between in one of three orders: shuffled within each second; all MEASR lines, then all BG
   * lines (the original Python coordinator); shuffled entirely.
   */
  private static List<String> reordered(Random random, MeasurementRecord r) {
    List<String> lines = ResultsLogFormat.lines(r);
    int head = r.givenBw().isPresent() ? 2 : 1;
    List<String> body = new ArrayList<>(lines.subList(head, lines.size() - 1));
    switch (random.nextInt(3)) {
      case 0 -> {
        int from = 0;
        for (MeasurementRecord.Second s : r.seconds()) {
          int to = from + s.measurerRecv().size() + 1;
          Collections.shuffle(body.subList(from, to), random);
          from = to;
        }
      }
      case 1 -> {
        List<String> measr = new ArrayList<>();
        List<String> bg = new ArrayList<>();
        body.forEach(l -> (l.contains(" MEASR ") ? measr : bg).add(l));
        body = new ArrayList<>(measr);
        body.addAll(bg);
      }
      default -> Collections.shuffle(body, random);
    }
    List<String> out = new ArrayList<>(lines.subList(0, head));
    out.addAll(body);
    out.add(lines.get(lines.size() - 1));
    return out;
  }

  /**
   * The lines of all measurements, each in its own order, with those of up to four measurements at
   * a time interleaved at random: a new one starts when one of those open ends.
   */
  private static List<String> interleave(Random random, List<List<String>> measurements) {
    List<String> out = new ArrayList<>();
    List<List<String>> open = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    int started = 0;
    while (started < measurements.size() || !open.isEmpty()) {
      while (open.size() < 4 && started < measurements.size()) {
        open.add(measurements.get(started++));
        next.add(0);
      }
      int k = random.nextInt(open.size());
      int i = next.get(k);
      out.add(open.get(k).get(i));
      if (i + 1 == open.get(k).size()) {
        open.remove(k);
        next.remove(k);
      } else {
        next.set(k, i + 1);
      }
    }
    return out;
  }

  private Path logIn(String name) throws IOException {
    return Files.createDirectories(dir.resolve(name)).resolve("results.log");
  }

  private static V3bwGenerator generator(Path resultsLog) {
    return new V3bwGenerator(
        resultsLog,
        resultsLog.resolveSibling("v3bw"),
        MAX_AGE,
        BandwidthFileTest.STARTED,
        "0.1.0",
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static String fingerprint(int relay) {
    return String.format(Locale.ROOT, "%08X%032X", relay * 2_654_435_761L & 0xFFFF_FFFFL, relay);
  }

  private static List<RouterStatus> consensus() {
    List<RouterStatus> out = new ArrayList<>();
    for (int r = 0; r < RELAYS + 3; r++) {
      out.add(BandwidthFileTest.relay(fingerprint(r), "relay" + r));
    }
    return out;
  }
}
