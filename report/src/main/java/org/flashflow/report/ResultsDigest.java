package org.flashflow.report;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurerLimit;

/**
 * What the report needs from the results log, gathered while the log streams by, so that memory
 * stays small whatever the log's size: per relay its newest completed measurement (a few numbers,
 * not its seconds) and when it last failed; per minute how many measurements completed and failed
 * by reason; and the seconds of one measurement, the newest of the chosen relay (or of any relay).
 *
 * <p>Parts of the log may be read into digests of their own and joined oldest first ({@link
 * #addAll}): among two measurements with the same begin time, the one read later wins, as in one
 * pass. Not thread-safe: fill it on one thread, then hand it on.
 */
public final class ResultsDigest implements Consumer<MeasurementRecord> {
  /** Outcome columns of {@link #perMinute}: completed, then one per {@link FailReason}. */
  public static final int OUTCOMES = 1 + FailReason.values().length;

  /**
   * The claimed background cut the estimate by more than this fraction: the relay claimed more than
   * we believe (r / (1 - r) of the measured traffic), which is what a liar does.
   */
  static final double CLAMPED_BY = 0.01;

  private final Optional<String> chosenRelay;
  private final Map<String, Relay> relays = new HashMap<>();
  private final Map<Long, int[]> perMinute = new HashMap<>();
  private MeasurementRecord chosen;
  private long completed;
  private long failed;

  /**
   * One relay's newest completed measurement and its last failure.
   *
   * @param estimate bytes/s of the newest completed measurement with seconds; NaN if none
   * @param clamped whether that measurement's claimed background was cut ({@link #CLAMPED_BY})
   * @param measurerLimited whether it was measurer-limited ({@link MeasurerLimit})
   * @param lastFailTs begin time of its newest failed measurement; {@code Long.MIN_VALUE} if none
   */
  public record Relay(
      String fp,
      long measId,
      long beginTs,
      double estimate,
      boolean clamped,
      boolean measurerLimited,
      long lastFailTs) {
    public Relay {
      Objects.requireNonNull(fp, "fp");
    }

    public boolean hasEstimate() {
      return !Double.isNaN(estimate);
    }
  }

  /**
   * @param chosenRelay whose newest measurement's seconds to keep; empty: the newest of any relay
   */
  public ResultsDigest(Optional<String> chosenRelay) {
    this.chosenRelay = Objects.requireNonNull(chosenRelay, "chosenRelay");
  }

  @Override
  public void accept(MeasurementRecord r) {
    int[] counts =
        perMinute.computeIfAbsent(Math.floorDiv(r.beginTs(), 60), k -> new int[OUTCOMES]);
    if (!r.completed()) {
      failed++;
      counts[1 + r.failure().orElseThrow().reason().ordinal()]++;
      Relay old = relays.get(r.relayFp());
      if (old == null) {
        relays.put(
            r.relayFp(),
            new Relay(r.relayFp(), -1, Long.MIN_VALUE, Double.NaN, false, false, r.beginTs()));
      } else if (r.beginTs() >= old.lastFailTs()) {
        relays.put(r.relayFp(), withFail(old, r.beginTs()));
      }
      return;
    }
    completed++;
    counts[0]++;
    if (r.seconds().isEmpty()) {
      return; // nothing to estimate from
    }
    Relay old = relays.get(r.relayFp());
    if (old == null || !old.hasEstimate() || r.beginTs() >= old.beginTs()) {
      double estimate = Estimate.estimate(r);
      relays.put(
          r.relayFp(),
          new Relay(
              r.relayFp(),
              r.measId(),
              r.beginTs(),
              estimate,
              clamped(r, estimate),
              MeasurerLimit.limited(r),
              old == null ? Long.MIN_VALUE : old.lastFailTs()));
    }
    if ((chosenRelay.isEmpty() || chosenRelay.get().equals(r.relayFp()))
        && (chosen == null || r.beginTs() >= chosen.beginTs())) {
      chosen = r;
    }
  }

  /** Adds what {@code later} read, as if its records had come after this one's. */
  public void addAll(ResultsDigest later) {
    completed += later.completed;
    failed += later.failed;
    later.perMinute.forEach(
        (minute, counts) -> {
          int[] mine = perMinute.computeIfAbsent(minute, k -> new int[OUTCOMES]);
          for (int i = 0; i < OUTCOMES; i++) {
            mine[i] += counts[i];
          }
        });
    later.relays.forEach(
        (fp, theirs) -> {
          Relay mine = relays.get(fp);
          if (mine == null) {
            relays.put(fp, theirs);
            return;
          }
          Relay newer =
              !theirs.hasEstimate() || (mine.hasEstimate() && theirs.beginTs() < mine.beginTs())
                  ? mine
                  : theirs;
          relays.put(fp, withFail(newer, Math.max(mine.lastFailTs(), theirs.lastFailTs())));
        });
    if (later.chosen != null && (chosen == null || later.chosen.beginTs() >= chosen.beginTs())) {
      chosen = later.chosen;
    }
  }

  /**
   * Whether believing the relay's whole claim would have given an estimate more than {@link
   * #CLAMPED_BY} higher: the cap on the background decided the result.
   */
  static boolean clamped(MeasurementRecord r, double estimate) {
    long[] believedAll = new long[r.seconds().size()];
    for (int i = 0; i < believedAll.length; i++) {
      MeasurementRecord.Second s = r.seconds().get(i);
      believedAll[i] =
          Estimate.saturatedAdd(Estimate.measured(s.measurerRecv()), Math.max(0, s.claimedBg()));
    }
    return Estimate.median(believedAll) > estimate * (1 + CLAMPED_BY);
  }

  private static Relay withFail(Relay r, long failTs) {
    return new Relay(
        r.fp(), r.measId(), r.beginTs(), r.estimate(), r.clamped(), r.measurerLimited(), failTs);
  }

  /** Every relay with a measurement in the log, by fingerprint. */
  public Map<String, Relay> relays() {
    return Collections.unmodifiableMap(relays);
  }

  /** Per minute (unix seconds / 60) of begin time: completed, then failed per reason. */
  public TreeMap<Long, int[]> perMinute() {
    return new TreeMap<>(perMinute);
  }

  /** The newest completed measurement of the chosen relay (or of any), with its seconds. */
  public Optional<MeasurementRecord> chosen() {
    return Optional.ofNullable(chosen);
  }

  public long completed() {
    return completed;
  }

  public long failed() {
    return failed;
  }
}
