package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.v3bw.BandwidthFileTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the files in parallel and joining what each gave ({@link LatestResults#addAll}) decides
 * the same as reading them one after the other: same result per relay, same results kept, same
 * counts; also with ties in begin time and estimate, measurer-limited results and results outside
 * the window.
 */
class LatestResultsMergeTest {
  private static final long T = BandwidthFileTest.NOW.getEpochSecond() - 3600;
  private static final String[] FPS = {
    BandwidthFileTest.FP_A, BandwidthFileTest.FP_B, BandwidthFileTest.FP_C
  };

  @TempDir Path dir;

  /** Few begin times and estimates, so that ties are common. */
  private static MeasurementRecord record(Random random, long id) {
    String fp = FPS[random.nextInt(FPS.length)];
    long begin = T + random.nextInt(5) - (random.nextInt(10) == 0 ? 86_400 : 0);
    if (random.nextInt(6) == 0) {
      return ResultsLogFormatTest.failed(id, fp, begin, FailReason.TIMEOUT, "");
    }
    long recv = 100 * (1 + random.nextInt(4));
    OptionalLong given =
        random.nextBoolean()
            ? OptionalLong.of(recv + random.nextInt(2) * 900)
            : OptionalLong.empty();
    return new MeasurementRecord(
        id,
        fp,
        begin,
        List.of(new MeasurementRecord.Second(List.of(recv), 0, 0)),
        Optional.empty(),
        given);
  }

  private static LatestResults window() {
    return new LatestResults(Instant.ofEpochSecond(T + 10), Duration.ofHours(1));
  }

  @Test
  void joiningPartsInOrderEqualsOneSequentialPass() {
    Random random = new Random(7);
    for (int round = 0; round < 2000; round++) {
      List<MeasurementRecord> records = new ArrayList<>();
      for (int i = random.nextInt(12); i > 0; i--) {
        records.add(record(random, records.size() + 1));
      }
      LatestResults sequential = window();
      records.forEach(sequential::accept);

      LatestResults joined = window();
      int from = 0;
      while (from < records.size()) {
        int to = from + 1 + random.nextInt(records.size() - from);
        LatestResults part = window();
        records.subList(from, to).forEach(part::accept);
        joined.addAll(part);
        from = to;
      }

      String why = "records " + records;
      assertEquals(sequential.results(), joined.results(), why);
      assertEquals(sequential.candidates(), joined.candidates(), why);
      for (String fp : FPS) {
        assertEquals(sequential.counts(fp), joined.counts(fp), why);
      }
    }
  }

  @Test
  void parallelReadOfRotatedFilesEqualsSequentialRead() throws Exception {
    Random random = new Random(11);
    List<MeasurementRecord> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      records.add(record(random, i + 1));
    }
    Path log = dir.resolve("results.log");
    Files.write(
        dir.resolve("results.log.3.gz"), ResultsLogReaderTest.gzip(text(records.subList(0, 50))));
    Files.writeString(dir.resolve("results.log.2"), text(records.subList(50, 120)), UTF_8);
    Files.write(
        dir.resolve("results.log.1.gz"),
        ResultsLogReaderTest.gzip(text(records.subList(120, 200))));
    Files.writeString(log, text(records.subList(200, 300)), UTF_8);
    Instant now = Instant.ofEpochSecond(T + 10);

    LatestResults sequential = new LatestResults(now, Duration.ofHours(1));
    new ResultsLogReader(log).read(sequential);
    for (int threads : new int[] {1, 2, 3, 8}) {
      LatestResults parallel = new ResultsLogReader(log, threads).latest(now, Duration.ofHours(1));
      assertEquals(sequential.results(), parallel.results(), threads + " threads");
      assertEquals(sequential.candidates(), parallel.candidates(), threads + " threads");
      for (String fp : FPS) {
        assertEquals(sequential.counts(fp), parallel.counts(fp), threads + " threads");
      }
    }
  }

  private static String text(List<MeasurementRecord> records) {
    return ResultsLogReaderTest.text(records.toArray(MeasurementRecord[]::new));
  }
}
