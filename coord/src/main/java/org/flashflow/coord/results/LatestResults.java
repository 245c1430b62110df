package org.flashflow.coord.results;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurerLimit;

/**
 * Per relay, the completed measurement to vote on, among those recent enough (within {@code [v3bw]
 * max_results_age} of {@code now}): the newest by begin time that was not measurer-limited, else
 * the largest measurer-limited one ({@link MeasurerLimit}, {@link RelayResults}); and how often the
 * relay's measurements completed and failed (by reason) in that window ({@link RecentOutcomes}).
 * Fed record by record while the log streams by, so only one small summary per relay (and one
 * {@code long} per measurement) is kept, never the per-second reports.
 *
 * <p>Measurements begun after {@code now} (clock steps) are kept: they are not old. Among two with
 * the same begin time, the one read later wins. A completed record without seconds has nothing to
 * estimate from and is ignored. Not thread-safe: fill it on one thread, then hand it on.
 */
public final class LatestResults implements Consumer<MeasurementRecord>, ResultsLogParser.Sink {
  private final long oldestAllowed;
  private final Map<String, RelayResults> byRelay = new HashMap<>();
  private final Map<String, Result> newest = new HashMap<>();
  private final RecentOutcomes outcomes = new RecentOutcomes();

  /**
   * One relay's usable result.
   *
   * @param relayFp 40 upper-case hex digits
   * @param beginTs unix seconds of the measurement's first report
   * @param estimate bytes per second (docs/protocol.md section 5)
   * @param measurerLimited whether the measurement traffic reached 90% of the measurer capacity
   *     given ({@link MeasurerLimit}): the estimate is a lower bound
   */
  public record Result(
      String relayFp, long measId, long beginTs, double estimate, boolean measurerLimited) {
    public Result {
      Objects.requireNonNull(relayFp, "relayFp");
    }

    /** A result that was not measurer-limited. */
    public Result(String relayFp, long measId, long beginTs, double estimate) {
      this(relayFp, measId, beginTs, estimate, false);
    }

    /** The result of a completed record that has seconds. */
    public static Result of(MeasurementRecord record) {
      return new Result(
          record.relayFp(),
          record.measId(),
          record.beginTs(),
          Estimate.estimate(record),
          MeasurerLimit.limited(record));
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
    outcomes.add(record);
    if (!record.completed() || record.seconds().isEmpty()) {
      return;
    }
    offer(Result.of(record));
  }

  /**
   * As {@link #accept(MeasurementRecord)} for {@code m.record()}, without making the record: how
   * the reader fills it.
   */
  @Override
  public void ended(PendingMeasurement m) {
    if (m.beginTs() < oldestAllowed) {
      return;
    }
    boolean completed = m.failure().isEmpty();
    boolean hasSeconds = m.secondCount() > 0;
    if (!completed) {
      outcomes.add(m.relayFp(), m.beginTs(), m.failure().map(MeasurementRecord.Failed::reason));
      return;
    }
    if (!hasSeconds) {
      return;
    }
    outcomes.add(m.relayFp(), m.beginTs(), Optional.empty());
    boolean limited =
        m.givenBw().isPresent() && MeasurerLimit.limited(m.measured(), m.givenBw().getAsLong());
    offer(new Result(m.relayFp(), m.measId(), m.beginTs(), m.estimate(), limited));
  }

  /**
   * Takes an already estimated result by the same rules as a completed record (the window, newest
   * begin time wins, a tie goes to the later call, measurer-limited ones as above): how the
   * coordinator's in-memory results become a bandwidth file without reading the log.
   */
  public void add(Result result) {
    if (result.beginTs() < oldestAllowed) {
      return;
    }
    offer(result);
  }

  /**
   * Takes everything {@code later} holds as if the records it was filled with had come after ours:
   * how the reader joins the files it read in parallel, oldest file first. {@code later} keeps, per
   * relay, every result that can still win ({@link RelayResults}), so offering those gives the same
   * result used as offering all its records; a result it dropped is beaten by one it kept. Both
   * must have the same window.
   */
  void addAll(LatestResults later) {
    if (later.oldestAllowed != oldestAllowed) {
      throw new IllegalArgumentException("different windows");
    }
    List<Result> kept = new ArrayList<>();
    later.byRelay.values().forEach(r -> r.addTo(kept));
    kept.forEach(this::offer);
    outcomes.addAll(later.outcomes);
  }

  private void offer(Result result) {
    RelayResults r = byRelay.computeIfAbsent(result.relayFp(), k -> new RelayResults());
    r.offer(result);
    newest.put(result.relayFp(), r.used());
  }

  /**
   * Every result kept that may become the one used when older ones leave a later window (see {@link
   * RelayResults}), sorted by fingerprint, then oldest first: what {@link LatestResultsCache}
   * keeps. Without measurer-limited results, the same as {@link #results()}.
   */
  public List<Result> candidates() {
    List<Result> out = new ArrayList<>();
    new TreeMap<>(byRelay).values().forEach(r -> r.addTo(out));
    return out;
  }

  /**
   * The result used per relay (newest non-limited, else largest limited; {@link
   * Result#measurerLimited} says which), sorted by fingerprint (the v3bw order).
   */
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
