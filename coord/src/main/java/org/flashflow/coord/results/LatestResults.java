package org.flashflow.coord.results;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per relay, the newest completed measurement recent enough to vote on (protocol.md section 7:
 * newest by begin time, within {@code [v3bw] max_results_age} of {@code now}), and how often the
 * relay's measurements completed and failed (by reason) in that window ({@link RecentOutcomes}).
 * Fed record by record while the log streams by, so only one small summary per relay (and one
 * {@code long} per measurement) is kept, never the per-second reports.
 *
 * <p>Measurements begun after {@code now} (clock steps) are kept: they are not old. Among two with
 * the same begin time, the one read later wins. A completed record without seconds has nothing to
 * estimate from and is ignored. Not thread-safe: fill it on one thread, then hand it on.
 */
public final class LatestResults implements Consumer<MeasurementRecord> {
  private final long oldestAllowed;
  private final Map<String, Result> newest = new HashMap<>();
  private final RecentOutcomes outcomes = new RecentOutcomes();

  /**
   * One relay's usable result.
   *
   * @param relayFp 40 upper-case hex digits
   * @param beginTs unix seconds of the measurement's first report
   * @param estimate bytes per second (protocol.md section 5)
   */
  public record Result(String relayFp, long measId, long beginTs, double estimate) {
    public Result {
      Objects.requireNonNull(relayFp, "relayFp");
    }
  }

  /** Keeps measurements that began at or after {@code now - maxAge}. */
  public LatestResults(Instant now, Duration maxAge) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("negative max_results_age " + maxAge);
    }
    this.oldestAllowed = now.getEpochSecond() - maxAge.getSeconds();
  }

  @Override
  public void accept(MeasurementRecord record) {
    if (record.beginTs() < oldestAllowed) {
      return;
    }
    String fp = record.relayFp();
    outcomes.add(record);
    if (!record.completed() || record.seconds().isEmpty()) {
      return;
    }
    Result current = newest.get(fp);
    if (current == null || record.beginTs() >= current.beginTs()) {
      newest.put(fp, new Result(fp, record.measId(), record.beginTs(), Estimate.estimate(record)));
    }
  }

  /**
   * Takes an already estimated result by the same rules as a completed record (the window, newest
   * begin time wins, a tie goes to the later call): how the coordinator's in-memory results become
   * a bandwidth file without reading the log.
   */
  public void add(Result result) {
    if (result.beginTs() < oldestAllowed) {
      return;
    }
    Result current = newest.get(result.relayFp());
    if (current == null || result.beginTs() >= current.beginTs()) {
      newest.put(result.relayFp(), result);
    }
  }

  /** The usable result per relay, sorted by fingerprint (the v3bw order). */
  public SortedMap<String, Result> results() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(newest));
  }

  /** The usable result for one relay. */
  public Optional<Result> result(String fp) {
    return Optional.ofNullable(newest.get(fp));
  }

  /** Relays with a usable result. */
  public int size() {
    return newest.size();
  }

  /**
   * Takes outcomes kept elsewhere (the coordinator's in-memory copy); those that began before the
   * window are not counted.
   */
  public void addOutcomes(RecentOutcomes more) {
    outcomes.addAll(more);
  }

  /** Completed and failed (by reason) measurements of {@code fp} in the window. */
  public RecentOutcomes.Counts counts(String fp) {
    return outcomes.counts(fp, oldestAllowed);
  }

  /** Failed measurements of {@code fp} in the window. */
  public int recentFailures(String fp) {
    return counts(fp).failureCount();
  }

  /** Failed measurements per relay in the window (relays with none are absent). */
  public Map<String, Integer> recentFailures() {
    Map<String, Integer> out = new HashMap<>();
    outcomes
        .counts(oldestAllowed)
        .forEach(
            (fp, c) -> {
              if (c.failureCount() > 0) {
                out.put(fp, c.failureCount());
              }
            });
    return Collections.unmodifiableMap(out);
  }

  /** A copy of the outcomes collected, for {@link LatestResultsCache}. */
  RecentOutcomes outcomes() {
    return outcomes.copy();
  }

  /** The newest usable result of all relays: the v3bw file's timestamp line. */
  public Optional<Result> newest() {
    return newest.values().stream().max(Comparator.comparingLong(Result::beginTs));
  }

  /** The oldest of the per-relay results used. */
  public Optional<Result> oldest() {
    return newest.values().stream().min(Comparator.comparingLong(Result::beginTs));
  }
}
