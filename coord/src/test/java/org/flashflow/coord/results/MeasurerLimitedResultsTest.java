package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurerLimit;
import org.flashflow.coord.v3bw.BandwidthFile;
import org.flashflow.coord.v3bw.BandwidthFileTest;
import org.flashflow.coord.v3bw.StaleResultsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which result a bandwidth file uses when some are measurer-limited: the newest that was not, else
 * the largest that was, and the relay line says so.
 */
class MeasurerLimitedResultsTest {
  private static final String A = "A".repeat(40);
  private static final String B = "B".repeat(40);
  private static final Instant NOW = BandwidthFileTest.NOW;
  private static final long T = NOW.getEpochSecond();
  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir Path dir;

  /** One second at {@code bytes} (the estimate), with {@code given} of measurer capacity. */
  private static MeasurementRecord done(long id, String fp, long ts, long bytes, long given) {
    return new MeasurementRecord(
        id,
        fp,
        ts,
        List.of(new MeasurementRecord.Second(List.of(bytes), 0, bytes / 3)),
        Optional.empty(),
        given > 0 ? OptionalLong.of(given) : OptionalLong.empty());
  }

  /** Limited: the measurers carried all they were given. */
  private static MeasurementRecord limited(long id, String fp, long ts, long bytes) {
    return done(id, fp, ts, bytes, bytes);
  }

  /** Not limited: half of what was given. */
  private static MeasurementRecord free(long id, String fp, long ts, long bytes) {
    return done(id, fp, ts, bytes, 2 * bytes);
  }

  private static LatestResults latest(MeasurementRecord... records) {
    LatestResults l = new LatestResults(NOW, WEEK);
    for (MeasurementRecord r : records) {
      l.accept(r);
    }
    return l;
  }

  @Test
  void anOlderNonLimitedResultBeatsANewerLimitedOne() {
    MeasurementRecord older = free(1, A, T - 600, 1_000_000);
    MeasurementRecord newer = limited(2, A, T - 300, 3_000_000);
    for (LatestResults l : List.of(latest(older, newer), latest(newer, older))) {
      LatestResults.Result r = l.result(A).orElseThrow();
      assertEquals(1, r.measId());
      assertFalse(r.measurerLimited());
    }
  }

  @Test
  void withOnlyLimitedResultsTheLargestIsUsedAndMarked() {
    LatestResults l =
        latest(
            limited(1, A, T - 600, 5_000_000),
            limited(2, A, T - 500, 7_000_000),
            limited(3, A, T - 400, 6_000_000));
    LatestResults.Result r = l.result(A).orElseThrow();
    assertEquals(2, r.measId());
    assertTrue(r.measurerLimited());
    // A newer non-limited result then wins, even a smaller one.
    l.accept(free(4, A, T - 300, 2_000_000));
    assertEquals(4, l.result(A).orElseThrow().measId());
    assertFalse(l.result(A).orElseThrow().measurerLimited());
    assertEquals(List.of(4L), l.candidates().stream().map(LatestResults.Result::measId).toList());
  }

  @Test
  void aManualMeasureWithoutGivenCapacityIsNeverLimited() {
    LatestResults l = latest(done(1, A, T - 600, 9_000_000, 0));
    assertFalse(l.result(A).orElseThrow().measurerLimited());
  }

  @Test
  void theLimitedFlagSurvivesTheResultsLog() throws Exception {
    Path log = dir.resolve("results.log");
    StringBuilder sb = new StringBuilder();
    for (MeasurementRecord r :
        List.of(
            limited(1, A, T - 600, 5_000_000),
            limited(2, A, T - 500, 4_000_000),
            free(3, B, T - 500, 1_000_000),
            limited(4, B, T - 400, 8_000_000))) {
      ResultsLogFormat.appendTo(sb, r);
    }
    Files.writeString(log, sb.toString());
    LatestResults l = new ResultsLogReader(log).latest(NOW, WEEK);
    assertEquals(new LatestResults.Result(A, 1, T - 600, 5_000_000, true), l.result(A).get());
    assertEquals(new LatestResults.Result(B, 3, T - 500, 1_000_000, false), l.result(B).get());
  }

  @Test
  void theCacheFallsBackToANewerLimitedResultWhenTheLargestAgesOut() throws Exception {
    LatestResultsCache cache = new LatestResultsCache();
    cache.accept(limited(1, A, T - 6 * 86400, 9_000_000));
    cache.accept(limited(2, A, T - 3 * 86400, 7_000_000));
    cache.accept(limited(3, A, T - 86400, 5_000_000));
    cache.accept(limited(4, A, T - 3600, 4_000_000)); // smaller and newer: kept
    cache.accept(limited(5, A, T - 600, 4_000_000)); // as large and newer: replaces 4
    cache.loaded(List.of());
    assertEquals(4, cache.snapshot().size());
    assertEquals(
        1,
        LatestResultsCache.toLatestResults(cache.snapshot(), NOW, WEEK)
            .result(A)
            .orElseThrow()
            .measId());
    assertEquals(
        2,
        LatestResultsCache.toLatestResults(cache.snapshot(), NOW, Duration.ofDays(5))
            .result(A)
            .orElseThrow()
            .measId());
    assertEquals(
        5,
        LatestResultsCache.toLatestResults(cache.snapshot(), NOW, Duration.ofHours(1))
            .result(A)
            .orElseThrow()
            .measId());
    // The schedule's estimate: the result used, whatever its age.
    assertEquals(List.of(1L), cache.used().stream().map(LatestResults.Result::measId).toList());
    // Pruning at the window forgets what is older, but a relay keeps its newest result.
    cache.outcomes(T - 2 * 86400);
    assertEquals(
        List.of(3L, 5L), cache.snapshot().stream().map(LatestResults.Result::measId).toList());
    cache.outcomes(T);
    assertEquals(List.of(5L), cache.snapshot().stream().map(LatestResults.Result::measId).toList());

    // Loaded from the log, the cache keeps the same results.
    Path log = dir.resolve("results.log");
    StringBuilder sb = new StringBuilder();
    for (long id = 1; id <= 5; id++) {
      long[] ts = {0, T - 6 * 86400, T - 3 * 86400, T - 86400, T - 3600, T - 600};
      long[] bytes = {0, 9_000_000, 7_000_000, 5_000_000, 4_000_000, 4_000_000};
      ResultsLogFormat.appendTo(sb, limited(id, A, ts[(int) id], bytes[(int) id]));
    }
    Files.writeString(log, sb.toString());
    assertEquals(
        List.of(1L, 2L, 3L, 5L),
        LatestResultsCache.load(new ResultsLogReader(log)).stream()
            .map(LatestResults.Result::measId)
            .toList());
  }

  /**
   * Random histories with ties: the cache plus a window at render time, and LatestResults fed the
   * records directly, both pick what the rule says (brute force over the records in the window).
   */
  @Test
  void cacheAndDirectReadingFollowTheRuleOnRandomHistories() {
    for (int seed = 0; seed < 300; seed++) {
      Random rnd = new Random(seed);
      List<MeasurementRecord> records = new ArrayList<>();
      for (int id = 1; id <= 1 + rnd.nextInt(12); id++) {
        String fp = rnd.nextBoolean() ? A : B;
        long ts = T - 100 * rnd.nextInt(10);
        long bytes = 1000 * (1 + rnd.nextInt(4));
        records.add(rnd.nextBoolean() ? limited(id, fp, ts, bytes) : free(id, fp, ts, bytes));
      }
      Duration window = Duration.ofSeconds(100 * rnd.nextInt(10));

      LatestResultsCache cache = new LatestResultsCache();
      boolean early = rnd.nextBoolean();
      if (!early) {
        cache.loaded(List.of());
      }
      records.forEach(cache::accept);
      if (early) {
        cache.loaded(List.of());
      }
      LatestResults viaCache = LatestResultsCache.toLatestResults(cache.snapshot(), NOW, window);
      LatestResults direct = new LatestResults(NOW, window);
      records.forEach(direct::accept);

      Map<String, Long> expected = bruteForce(records, T - window.getSeconds());
      String why = "seed " + seed + ": " + records + " window " + window;
      assertEquals(expected, ids(viaCache), why);
      assertEquals(expected, ids(direct), why);
    }
  }

  private static Map<String, Long> ids(LatestResults l) {
    Map<String, Long> out = new TreeMap<>();
    l.results().forEach((fp, r) -> out.put(fp, r.measId()));
    return out;
  }

  private static Map<String, Long> bruteForce(List<MeasurementRecord> records, long oldest) {
    Map<String, List<Integer>> byRelay = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).beginTs() >= oldest) {
        byRelay.computeIfAbsent(records.get(i).relayFp(), k -> new ArrayList<>()).add(i);
      }
    }
    Map<String, Long> out = new TreeMap<>();
    byRelay.forEach(
        (fp, idx) -> {
          // Later in the list = read later: wins a tie.
          Comparator<Integer> byTime =
              Comparator.<Integer>comparingLong(i -> records.get(i).beginTs())
                  .thenComparing(i -> i);
          Optional<Integer> free =
              idx.stream().filter(i -> !MeasurerLimit.limited(records.get(i))).max(byTime);
          Comparator<Integer> bySize =
              Comparator.<Integer>comparingDouble(i -> Estimate.estimate(records.get(i)))
                  .thenComparing(byTime);
          int used = free.orElseGet(() -> idx.stream().max(bySize).orElseThrow());
          out.put(fp, records.get(used).measId());
        });
    return out;
  }

  @Test
  void theRelayLineSaysWhenTheResultUsedWasLimited() throws StaleResultsException {
    LatestResults l =
        latest(
            limited(1, A, T - 600, 3_000_000),
            limited(2, A, T - 500, 2_000_000),
            free(3, B, T - 400, 1_000_000),
            limited(4, B, T - 300, 5_000_000));
    String file = BandwidthFile.render(l, List.of(), BandwidthFileTest.STARTED, NOW, "0.1.0");
    String body = file.substring(file.indexOf("=====\n") + 6);
    assertEquals(
        "node_id=$"
            + A
            + " bw=3000 measured_at=1795699140 time=2026-11-26T13:19:00 meas_id=1"
            + " flashflow_estimate=3000000 success=2 error_circ=0 error_misc=0"
            + " flashflow_measurer_limited=1\n"
            + "node_id=$"
            + B
            + " bw=1000 measured_at=1795699340 time=2026-11-26T13:22:20 meas_id=3"
            + " flashflow_estimate=1000000 success=2 error_circ=0 error_misc=0\n",
        body);
  }
}
