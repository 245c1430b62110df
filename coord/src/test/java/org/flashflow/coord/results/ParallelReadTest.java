package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.v3bw.BandwidthFileTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large plain files are read in parts cut at BEGIN lines; the result is that of one pass over the
 * files, oldest first, also when a cut falls inside a measurement (the file is read again whole),
 * with a torn last line, and with a damaged {@code .gz}.
 */
class ParallelReadTest {
  private static final Instant NOW = BandwidthFileTest.NOW;
  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir Path dir;

  private static List<MeasurementRecord> records(Random random, int n, long firstId) {
    List<MeasurementRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String fp = String.format(Locale.ROOT, "%040X", random.nextInt(30));
      long begin = NOW.getEpochSecond() - 86_400 + 60L * (firstId + i);
      if (random.nextInt(10) == 0) {
        out.add(ResultsLogFormatTest.failed(firstId + i, fp, begin, FailReason.TIMEOUT, "x"));
        continue;
      }
      List<MeasurementRecord.Second> seconds = new ArrayList<>();
      for (int s = 1 + random.nextInt(20); s > 0; s--) {
        seconds.add(
            Estimate.second(
                List.of(1000L + random.nextInt(9000), 1000L + random.nextInt(9000)),
                random.nextInt(2000),
                random.nextInt(2000),
                0.25));
      }
      out.add(new MeasurementRecord(firstId + i, fp, begin, seconds, Optional.empty()));
    }
    return out;
  }

  private static String text(List<MeasurementRecord> records) {
    return ResultsLogReaderTest.text(records.toArray(MeasurementRecord[]::new));
  }

  private record Both(LatestResults latest, ReadStats stats) {}

  private Both onePass(Path log) throws IOException {
    LatestResults latest = new LatestResults(NOW, WEEK);
    ReadStats stats = new ResultsLogReader(log).read(latest);
    return new Both(latest, stats);
  }

  private ParallelRead.Outcome parallel(Path log, int threads) throws IOException {
    return ParallelRead.read(
        new ResultsLogReader(log).files(), log, threads, () -> new LatestResults(NOW, WEEK), 1024);
  }

  private static void assertSame(Both expected, ParallelRead.Outcome got) {
    assertEquals(expected.stats(), got.stats());
    assertEquals(expected.latest().results(), got.latest().results());
    assertEquals(expected.latest().candidates(), got.latest().candidates());
    assertEquals(expected.latest().recentFailures(), got.latest().recentFailures());
  }

  @Test
  void partsCutAtBeginLinesGiveWhatOnePassGives() throws IOException {
    Random random = new Random(5);
    Path log = dir.resolve("results.log");
    Files.write(
        dir.resolve("results.log.2.gz"), ResultsLogReaderTest.gzip(text(records(random, 80, 1))));
    Files.writeString(dir.resolve("results.log.1"), text(records(random, 300, 100)));
    String live = text(records(random, 300, 500));
    Files.writeString(log, live.substring(0, live.length() - 5)); // torn last line

    Both expected = onePass(log);
    assertEquals(1, expected.stats().skipped(), "the torn line");
    for (int threads : new int[] {2, 3, 7}) {
      ParallelRead.Outcome got = parallel(log, threads);
      assertSame(expected, got);
      assertTrue(got.parts() > 3, got.parts() + " parts");
      assertEquals(0, got.rereadFiles());
    }
  }

  @Test
  void cutInsideInterleavedMeasurementsReadsTheFileAgainWhole() throws IOException {
    Random random = new Random(6);
    List<MeasurementRecord> records = records(random, 200, 1);
    // Two measurements open at all times, their lines mixed at random: a cut at a BEGIN line
    // nearly always falls inside the other one.
    List<String> lines = new ArrayList<>();
    List<List<String>> open = new ArrayList<>();
    int next = 0;
    while (next < records.size() || !open.isEmpty()) {
      while (open.size() < 2 && next < records.size()) {
        open.add(new ArrayList<>(ResultsLogFormat.lines(records.get(next++))));
      }
      List<String> m = open.get(random.nextInt(open.size()));
      lines.add(m.remove(0));
      if (m.isEmpty()) {
        open.remove(m);
      }
    }
    Path log = dir.resolve("results.log");
    Files.writeString(log, String.join("\n", lines) + "\n");

    Both expected = onePass(log);
    assertEquals(200, expected.stats().completed() + expected.stats().failed());
    ParallelRead.Outcome got = parallel(log, 2);
    assertSame(expected, got);
    assertEquals(1, got.rereadFiles());
  }

  @Test
  void damagedGzipBesideCutFilesIsCountedAndItsStartUsed() throws IOException {
    Random random = new Random(8);
    Path log = dir.resolve("results.log");
    StringBuilder big = new StringBuilder(text(records(random, 40, 1)));
    for (int i = 0; i < 3000; i++) {
      big.append("# padding so the cut lands after the records ").append(i).append('\n');
    }
    byte[] gz = ResultsLogReaderTest.gzip(big.toString());
    Files.write(dir.resolve("results.log.1.gz"), java.util.Arrays.copyOf(gz, gz.length - 20));
    Files.writeString(log, text(records(random, 200, 100)));

    Both expected = onePass(log);
    assertEquals(1, expected.stats().unreadableFiles());
    assertSame(expected, parallel(log, 2));
  }

  @Test
  void beginLineAtOrAfterFindsTheNextBeginLineStart() throws IOException {
    String fp = "A".repeat(40);
    String text =
        "1 10 BEGIN "
            + fp
            + "\n1 10 MEASR 5\n1 10 BG 0 1\n1 11 END\n# 2 20 BEGIN "
            + fp
            + "\n2 20 BEGINNING\n\t2\t-20  BEGIN\t"
            + fp
            + "\r\n2 21 END\n";
    Path file = dir.resolve("f");
    Files.writeString(file, text, UTF_8);
    int second = text.indexOf("\t2\t-20");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      assertEquals(0, ParallelRead.beginLineAtOrAfter(ch, 0, size));
      assertEquals(second, ParallelRead.beginLineAtOrAfter(ch, 1, size));
      assertEquals(second, ParallelRead.beginLineAtOrAfter(ch, second, size));
      assertEquals(-1, ParallelRead.beginLineAtOrAfter(ch, second + 1, size));
    }
  }

  @Test
  void isBeginChecksTheThirdWord() {
    assertTrue(begin("1 2 BEGIN x"));
    assertTrue(begin("  1\t-2 BEGIN\tx"));
    assertFalse(begin("1 2 BEGIN"));
    assertFalse(begin("1 2 BEGINS x"));
    assertFalse(begin("1 2 MEASR 3"));
    assertFalse(begin("x 2 BEGIN y"));
    assertFalse(begin("1 BEGIN y"));
    assertFalse(begin("# 1 2 BEGIN y"));
  }

  private static boolean begin(String line) {
    byte[] b = line.getBytes(UTF_8);
    return ParallelRead.isBegin(b, 0, b.length);
  }
}
