package org.flashflow.coord.results;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * The running coordinator's copy of each relay's newest completed result (with the measurer-limited
 * ones that may still be used, {@link RelayResults}), so that the hourly bandwidth file costs
 * O(relays) instead of a pass over a week of per-second lines. Filled once from the log at startup
 * ({@link #load}, one streaming pass on an I/O thread), then kept current by every record that
 * becomes durable ({@link #accept}). The age window is applied when a file is rendered ({@link
 * #toLatestResults}), not here, so a result ages out without any bookkeeping.
 *
 * <p>Owned by the event loop: every method but the static {@link #load} runs there. Records that
 * become durable while the startup pass is still reading are held and applied after it; one that
 * the pass also read is applied twice, which changes nothing (same relay, same begin time).
 */
public final class LatestResultsCache {
  private final Map<String, RelayResults> newest = new HashMap<>();
  private final RecentOutcomes outcomes = new RecentOutcomes();
  private List<LatestResults.Result> early = new ArrayList<>();
  private List<MeasurementRecord> earlyOutcomes = new ArrayList<>();
  private boolean loaded;

  /**
   * One streaming pass over the log and its rotated siblings: each relay's newest completed result
   * (and the measurer-limited ones that may be used), whatever its age. Blocking; run it on an I/O
   * thread and hand the result to {@link #loaded}.
   */
  public static Collection<LatestResults.Result> load(ResultsLogReader reader) throws IOException {
    return loadWithOutcomes(reader).candidates();
  }

  /**
   * As {@link #load}, with every measurement's outcome too (for the success and failure counts):
   * hand it to {@link #loaded(LatestResults)}.
   */
  public static LatestResults loadWithOutcomes(ResultsLogReader reader) throws IOException {
    return reader.latest(Instant.EPOCH, Duration.ZERO);
  }

  /** A record that is now durable in the log. */
  public void accept(MeasurementRecord record) {
    if (loaded) {
      outcomes.add(record);
    } else {
      earlyOutcomes.add(record);
    }
    if (!record.completed() || record.seconds().isEmpty()) {
      return;
    }
    LatestResults.Result r = LatestResults.Result.of(record);
    if (loaded) {
      offer(r);
    } else {
      early.add(r);
    }
  }

  /** The startup pass is done: its results, then those that arrived meanwhile. */
  public void loaded(Collection<LatestResults.Result> fromLog) {
    fromLog.forEach(this::offer);
    early.forEach(this::offer);
    early = List.of();
    earlyOutcomes.forEach(outcomes::add);
    earlyOutcomes = List.of();
    loaded = true;
  }

  /**
   * As {@link #loaded(Collection)}, with the outcomes the pass read; an outcome that arrived
   * meanwhile and that the pass also read (same relay, begin time and reason) is counted once.
   */
  public void loaded(LatestResults fromLog) {
    RecentOutcomes read = fromLog.outcomes();
    outcomes.addAll(read);
    for (MeasurementRecord r : earlyOutcomes) {
      Optional<FailReason> reason = r.failure().map(MeasurementRecord.Failed::reason);
      if (!read.contains(r.relayFp(), r.beginTs(), reason)) {
        outcomes.add(r);
      }
    }
    earlyOutcomes = List.of();
    loaded(fromLog.candidates());
  }

  /**
   * A copy of the outcomes of measurements begun at or after {@code oldestKept}; older ones are
   * forgotten here, so the copy kept in memory stays about one {@code max_results_age} long; so are
   * the measurer-limited results begun before it ({@link RelayResults#prune}).
   */
  public RecentOutcomes outcomes(long oldestKept) {
    if (!loaded) {
      throw new IllegalStateException("latest results are still loading");
    }
    outcomes.prune(oldestKept);
    newest.values().forEach(r -> r.prune(oldestKept));
    return outcomes.copy();
  }

  /** Whether {@link #loaded} ran; before that the cache knows only the records since startup. */
  public boolean isLoaded() {
    return loaded;
  }

  /** Relays with a result (of any age). */
  public int size() {
    return newest.size();
  }

  /**
   * A copy of every relay's newest result and the measurer-limited ones that may be used: cheap
   * enough for the loop (about one reference per relay); rendering the file from it ({@link
   * #toLatestResults}, which picks the result used in the window) happens on the I/O thread.
   */
  public List<LatestResults.Result> snapshot() {
    if (!loaded) {
      throw new IllegalStateException("latest results are still loading");
    }
    List<LatestResults.Result> out = new ArrayList<>(newest.size());
    newest.values().forEach(r -> r.addTo(out));
    return out;
  }

  /**
   * Each relay's result used, whatever its age (newest non-limited, else largest limited): the
   * schedule's latest estimates.
   */
  public List<LatestResults.Result> used() {
    if (!loaded) {
      throw new IllegalStateException("latest results are still loading");
    }
    List<LatestResults.Result> out = new ArrayList<>(newest.size());
    newest.values().forEach(r -> out.add(r.used()));
    return out;
  }

  /**
   * As {@link #toLatestResults(Collection, Instant, Duration)}, with success and failure counts.
   */
  public static LatestResults toLatestResults(
      Collection<LatestResults.Result> snapshot,
      RecentOutcomes outcomes,
      Instant now,
      Duration maxAge) {
    LatestResults latest = toLatestResults(snapshot, now, maxAge);
    latest.addOutcomes(outcomes);
    return latest;
  }

  /** {@code snapshot}'s results within {@code maxAge} of {@code now}, ready to render. */
  public static LatestResults toLatestResults(
      Collection<LatestResults.Result> snapshot, Instant now, Duration maxAge) {
    LatestResults latest = new LatestResults(now, maxAge);
    snapshot.forEach(latest::add);
    return latest;
  }

  private void offer(LatestResults.Result r) {
    newest.computeIfAbsent(r.relayFp(), k -> new RelayResults()).offer(r);
  }
}
