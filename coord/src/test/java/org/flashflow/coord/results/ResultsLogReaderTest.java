package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ResultsLogReaderTest {
  private static final String FP_A = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final String FP_B = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  private static final long T0 = 1_700_000_000L;

  @TempDir Path dir;

  public static MeasurementRecord done(long id, String fp, long ts, long... recvPerSecond) {
    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    for (long recv : recvPerSecond) {
      seconds.add(new MeasurementRecord.Second(List.of(recv), 0, recv / 3));
    }
    return new MeasurementRecord(id, fp, ts, seconds, Optional.empty());
  }

  public static MeasurementRecord failed(long id, String fp, long ts) {
    return ResultsLogFormatTest.failed(id, fp, ts, FailReason.TIMEOUT, "setup took too long");
  }

  public static String text(MeasurementRecord... records) {
    StringBuilder sb = new StringBuilder();
    Arrays.stream(records).forEach(r -> ResultsLogFormat.appendTo(sb, r));
    return sb.toString();
  }

  static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(UTF_8));
    }
    return out.toByteArray();
  }

  private List<MeasurementRecord> readAll(Path log, ReadStats[] stats) throws IOException {
    List<MeasurementRecord> out = new ArrayList<>();
    stats[0] = new ResultsLogReader(log).read(out::add);
    return out;
  }

  @Test
  void readsLiveLogAndRotatedSiblingsOldestFirst() throws IOException {
    Path log = dir.resolve("results.log");
    MeasurementRecord r1 = done(1, FP_A, T0, 100, 200, 300);
    MeasurementRecord r2 = failed(2, FP_B, T0 + 100);
    MeasurementRecord r3 = done(3, FP_B, T0 + 200, 50);
    MeasurementRecord r4 = done(4, FP_A, T0 + 300, 10, 20);
    Files.write(dir.resolve("results.log.2.gz"), gzip(text(r1)));
    Files.writeString(dir.resolve("results.log.1"), text(r2, r3));
    Files.writeString(log, "# comment\n" + text(r4));
    Files.writeString(dir.resolve("v3bw"), "not a results log\n");
    Files.writeString(dir.resolve("other.log"), "1 2 BEGIN " + FP_A + "\n1 3 END\n");

    assertEquals(
        List.of(dir.resolve("results.log.2.gz"), dir.resolve("results.log.1"), log),
        new ResultsLogReader(log).files());
    ReadStats[] stats = new ReadStats[1];
    assertEquals(List.of(r1, r2, r3, r4), readAll(log, stats));
    assertEquals(new ReadStats(3, 0, 21, 3, 1, 0, 0, 0, 0), stats[0]);
  }

  @Test
  void plainAndGzipSiblingsWithSameNumberAreBothRead() throws IOException {
    Path log = dir.resolve("results.log");
    MeasurementRecord r1 = done(1, FP_A, T0, 1);
    MeasurementRecord r2 = done(2, FP_B, T0, 2);
    Files.write(dir.resolve("results.log.1.gz"), gzip(text(r1)));
    Files.writeString(dir.resolve("results.log.1"), text(r2));
    assertEquals(List.of(r2, r1), readAll(log, new ReadStats[1]));
  }

  @Test
  void skipsTornLastLineAndTheMeasurementItBelongsTo() throws IOException {
    Path log = dir.resolve("results.log");
    MeasurementRecord r1 = done(1, FP_A, T0, 100);
    String torn = text(done(2, FP_B, T0 + 60, 100, 200));
    Files.writeString(log, text(r1) + torn.substring(0, torn.length() - 7));
    ReadStats[] stats = new ReadStats[1];
    assertEquals(List.of(r1), readAll(log, stats));
    assertEquals(1, stats[0].skipped());
    assertEquals(1, stats[0].incomplete());
  }

  @Test
  void measurementDoesNotContinueAcrossFiles() throws IOException {
    Path log = dir.resolve("results.log");
    String lines = text(done(1, FP_A, T0, 100));
    int endLine = lines.lastIndexOf('\n', lines.length() - 2) + 1;
    Files.writeString(dir.resolve("results.log.1"), lines.substring(0, endLine));
    Files.writeString(log, lines.substring(endLine));
    ReadStats[] stats = new ReadStats[1];
    assertEquals(List.of(), readAll(log, stats));
    assertEquals(1, stats[0].incomplete());
    assertEquals(1, stats[0].orphans());
  }

  @Test
  void truncatedGzipSiblingIsCountedAndItsStartUsed() throws IOException {
    Path log = dir.resolve("results.log");
    MeasurementRecord r1 = done(1, FP_A, T0, 100);
    StringBuilder big = new StringBuilder(text(r1));
    for (int i = 0; i < 2000; i++) {
      big.append("# padding so the cut lands after the first record ").append(i).append('\n');
    }
    byte[] gz = gzip(big.toString());
    Files.write(dir.resolve("results.log.1.gz"), Arrays.copyOf(gz, gz.length - 20));
    MeasurementRecord r2 = done(2, FP_B, T0, 5);
    Files.writeString(log, text(r2));
    ReadStats[] stats = new ReadStats[1];
    assertEquals(List.of(r1, r2), readAll(log, stats));
    assertEquals(1, stats[0].unreadableFiles());
  }

  @Test
  void overlongLineIsSkipped() throws IOException {
    Path log = dir.resolve("results.log");
    MeasurementRecord r1 = done(1, FP_A, T0, 100);
    String junk = "#" + "x".repeat(LineSplitter.MAX_LINE + 10) + "\n";
    Files.writeString(log, junk + text(r1) + junk);
    ReadStats[] stats = new ReadStats[1];
    assertEquals(List.of(r1), readAll(log, stats));
    assertEquals(2, stats[0].skipped());
  }

  @Test
  void missingLogOrDirectoryReadsAsEmpty() throws IOException {
    ReadStats[] stats = new ReadStats[1];
    assertEquals(List.of(), readAll(dir.resolve("nothing/results.log"), stats));
    assertEquals(0, stats[0].files());
    assertEquals(List.of(), readAll(dir.resolve("results.log"), stats));
  }

  @Test
  void latestKeepsNewestCompletedWithinMaxAgeAndCountsFailures() throws IOException {
    Path log = dir.resolve("results.log");
    Instant now = Instant.ofEpochSecond(T0 + 1000);
    Duration maxAge = Duration.ofSeconds(600);
    Files.writeString(
        dir.resolve("results.log.1"),
        text(
            done(1, FP_A, T0, 999_000), // too old
            done(2, FP_A, T0 + 700, 3000, 1000, 2000), // newest of A, but read first
            failed(3, FP_A, T0 + 300))); // failure too old to count
    Files.writeString(
        log,
        text(
            done(4, FP_A, T0 + 500, 7000), // older than meas 2
            failed(5, FP_A, T0 + 800),
            failed(6, FP_B, T0 + 900),
            done(7, FP_B, T0 + 400, 10)));

    LatestResults latest = new ResultsLogReader(log).latest(now, maxAge);

    assertEquals(List.of(FP_A, FP_B), new ArrayList<>(latest.results().keySet()));
    LatestResults.Result a = latest.result(FP_A).orElseThrow();
    assertEquals(new LatestResults.Result(FP_A, 2, T0 + 700, 2000), a);
    assertEquals(T0 + 400, latest.result(FP_B).orElseThrow().beginTs());
    assertEquals(1, latest.recentFailures(FP_A));
    assertEquals(1, latest.recentFailures(FP_B));
    assertEquals(2, latest.newest().orElseThrow().measId());
    assertEquals(7, latest.oldest().orElseThrow().measId());
  }

  @Test
  void latestIncludesResultExactlyAtTheAgeLimit() {
    LatestResults latest =
        new LatestResults(Instant.ofEpochSecond(T0 + 600), Duration.ofSeconds(600));
    latest.accept(done(1, FP_A, T0 - 1, 1));
    assertTrue(latest.result(FP_A).isEmpty());
    latest.accept(done(2, FP_A, T0, 1));
    assertEquals(2, latest.result(FP_A).orElseThrow().measId());
  }

  @Test
  void latestIgnoresCompletedRecordWithoutSeconds() {
    LatestResults latest = new LatestResults(Instant.ofEpochSecond(T0), Duration.ofDays(7));
    latest.accept(new MeasurementRecord(1, FP_A, T0, List.of(), Optional.empty()));
    assertEquals(0, latest.size());
  }
}
