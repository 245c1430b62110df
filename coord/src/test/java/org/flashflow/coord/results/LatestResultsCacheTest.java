package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.v3bw.BandwidthFileTest;
import org.flashflow.coord.v3bw.DescriptorStore;
import org.flashflow.coord.v3bw.V3bwGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatestResultsCacheTest {
  private static final String FP_A = BandwidthFileTest.FP_A;
  private static final String FP_B = BandwidthFileTest.FP_B;
  private static final Instant NOW = BandwidthFileTest.NOW;
  private static final long T = NOW.getEpochSecond();
  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir Path dir;

  @Test
  void loadKeepsEachRelaysNewestWhateverItsAgeAndRenderPrunes() throws Exception {
    Path log = dir.resolve("results.log");
    Files.writeString(
        dir.resolve("results.log.1"),
        ResultsLogReaderTest.text(
            ResultsLogReaderTest.done(1, FP_A, T - 30 * 86400, 100),
            ResultsLogReaderTest.done(2, FP_B, T - 20 * 86400, 200)));
    Files.writeString(
        log,
        ResultsLogReaderTest.text(
            ResultsLogReaderTest.done(3, FP_A, T - 3600, 300),
            ResultsLogReaderTest.failed(4, FP_A, T - 60)));
    Collection<LatestResults.Result> loaded = LatestResultsCache.load(new ResultsLogReader(log));
    assertEquals(List.of(3L, 2L), loaded.stream().map(LatestResults.Result::measId).toList());

    LatestResultsCache cache = new LatestResultsCache();
    cache.loaded(loaded);
    LatestResults week = LatestResultsCache.toLatestResults(cache.snapshot(), NOW, WEEK);
    assertEquals(List.of(FP_A), List.copyOf(week.results().keySet()));
    LatestResults month =
        LatestResultsCache.toLatestResults(cache.snapshot(), NOW, WEEK.multipliedBy(5));
    assertEquals(List.of(FP_A, FP_B), List.copyOf(month.results().keySet()));
  }

  @Test
  void recordsDurableWhileLoadingAreAppliedAfterTheLoad() {
    LatestResultsCache cache = new LatestResultsCache();
    cache.accept(ResultsLogReaderTest.done(7, FP_A, T - 10, 700));
    cache.accept(ResultsLogReaderTest.failed(8, FP_B, T - 5));
    assertFalse(cache.isLoaded());
    assertThrows(IllegalStateException.class, cache::snapshot);
    // The load read an older result of A, and the new one too (it was appended meanwhile).
    cache.loaded(
        List.of(
            new LatestResults.Result(FP_A, 7, T - 10, 700),
            new LatestResults.Result(FP_B, 5, T - 100, 500)));
    assertTrue(cache.isLoaded());
    assertEquals(2, cache.size());
    cache.accept(ResultsLogReaderTest.done(9, FP_B, T - 1, 900));
    LatestResults latest = LatestResultsCache.toLatestResults(cache.snapshot(), NOW, WEEK);
    assertEquals(7, latest.result(FP_A).orElseThrow().measId());
    assertEquals(9, latest.result(FP_B).orElseThrow().measId());
    // An older result arriving late does not replace a newer one.
    cache.accept(ResultsLogReaderTest.done(10, FP_B, T - 50, 1000));
    assertEquals(
        9,
        LatestResultsCache.toLatestResults(cache.snapshot(), NOW, WEEK)
            .result(FP_B)
            .orElseThrow()
            .measId());
  }

  @Test
  void fileFromMemoryEqualsFileFromTheLog() throws Exception {
    Path log = dir.resolve("results/results.log");
    Files.createDirectories(log.getParent());
    MeasurementRecord[] records = {
      ResultsLogReaderTest.done(11, FP_A, T - 3600, 1_234_567, 1_234_568),
      ResultsLogReaderTest.done(12, FP_B, T - 7200, 400),
      ResultsLogReaderTest.failed(13, BandwidthFileTest.FP_C, T - 60),
      ResultsLogReaderTest.done(14, FP_B, T - 9 * 86400, 999_999),
    };
    Files.writeString(log, ResultsLogReaderTest.text(records));
    V3bwGenerator fromLog = generator(log, "a/v3bw");
    V3bwGenerator fromMemory = generator(log, "b/v3bw");

    LatestResultsCache cache = new LatestResultsCache();
    for (MeasurementRecord r : records) {
      cache.accept(r);
    }
    cache.loaded(List.of());
    String expected = Files.readString(fromLog.generate(BandwidthFileTest.CONSENSUS));
    String actual =
        Files.readString(
            fromMemory.generate(
                cache.snapshot(),
                cache.outcomes(T - WEEK.getSeconds()),
                BandwidthFileTest.CONSENSUS,
                DescriptorStore.Saved.NONE));
    assertEquals(expected, actual);
    // The log's 4th record is too old; C's failure counts.
    assertEquals(BandwidthFileTest.GOLDEN_C_FAILED, actual);
  }

  @Test
  void outcomesDurableWhileLoadingAreCountedOnceAndAgeOut() throws Exception {
    Path log = dir.resolve("results.log");
    MeasurementRecord first = ResultsLogReaderTest.failed(1, FP_A, T - 3600);
    MeasurementRecord second = ResultsLogReaderTest.done(2, FP_A, T - 60, 500);
    MeasurementRecord old = ResultsLogReaderTest.failed(3, FP_B, T - 30 * 86400);
    Files.writeString(log, ResultsLogReaderTest.text(old, first, second));
    LatestResultsCache cache = new LatestResultsCache();
    cache.accept(second); // durable while the pass was reading; the pass read it too
    cache.accept(ResultsLogReaderTest.failed(4, FP_B, T - 10)); // after the pass's end
    cache.loaded(LatestResultsCache.loadWithOutcomes(new ResultsLogReader(log)));

    RecentOutcomes all = cache.outcomes(0);
    assertEquals(
        new RecentOutcomes.Counts(1, java.util.Map.of(FailReason.TIMEOUT, 1)), all.counts(FP_A, 0));
    assertEquals(
        new RecentOutcomes.Counts(0, java.util.Map.of(FailReason.TIMEOUT, 2)), all.counts(FP_B, 0));
    RecentOutcomes week = cache.outcomes(T - WEEK.getSeconds());
    assertEquals(3, week.size());
    assertEquals(3, cache.outcomes(0).size(), "pruned for good");
  }

  private V3bwGenerator generator(Path log, String link) {
    return new V3bwGenerator(
        log,
        dir.resolve(link),
        WEEK,
        BandwidthFileTest.STARTED,
        "0.1.0",
        Clock.fixed(NOW, ZoneOffset.UTC));
  }
}
