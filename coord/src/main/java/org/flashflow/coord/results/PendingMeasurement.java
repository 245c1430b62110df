package org.flashflow.coord.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * One measurement's lines as {@link ResultsLogParser} gathers them from BEGIN to END or FAIL: its
 * MEASR and BG values, each with its second ({@code ts - begin_ts}), in the order they came, in
 * growing parallel arrays (no object per line). When it has ended, it turns them into seconds
 * (docs/protocol.md section 6.2):
 *
 * <ul>
 *   <li>the seconds are 0 to the last second of any of its lines; one without lines counts 0;
 *   <li>a second's MEASR values are the measurers' {@code recv} (summed for the estimate);
 *   <li>its BG line gives the relay's claim and our cap as written; none: (0, 0); several: the sum
 *       of what each lets us believe, {@code min(claimed, max_bg)}, against the sum of the caps.
 * </ul>
 *
 * <p>Either as a {@link MeasurementRecord} ({@link #record}), or straight to the numbers a {@link
 * LatestResults} needs ({@link #estimate}, {@link #measured}) without an object per second: the
 * same per-second values through the same {@link Estimate} functions, so the same result. Reused by
 * the parser for the next measurement once the sink has returned. Not thread-safe.
 */
final class PendingMeasurement {
  private static final int INITIAL_MEASR = 128;
  private static final int INITIAL_BG = 32;

  private long measId;
  private String relayFp;
  private long beginTs;
  private OptionalLong givenBw = OptionalLong.empty();
  private Optional<MeasurementRecord.Failed> failure = Optional.empty();

  private int[] measrSecond = new int[INITIAL_MEASR];
  private long[] measrRecv = new long[INITIAL_MEASR];
  private int nMeasr;

  private int[] bgSecond = new int[INITIAL_BG];
  private long[] bgClaimed = new long[INITIAL_BG];
  private long[] bgMax = new long[INITIAL_BG];
  private int nBg;

  /** The last second of any line so far; -1 before the first. */
  private int lastSecond = -1;

  /** Per second, filled by {@link #bucketBg}: the claim, the cap, BG lines seen. */
  private long[] claimed = new long[INITIAL_BG];

  private long[] maxBg = new long[INITIAL_BG];
  private int[] bgLines = new int[INITIAL_BG];

  /** Starts over for a new measurement, keeping the arrays unless an odd one made them huge. */
  PendingMeasurement begin(long measId, String relayFp, long beginTs) {
    if (measrSecond.length > 64 * INITIAL_MEASR || bgSecond.length > 64 * INITIAL_BG) {
      measrSecond = new int[INITIAL_MEASR];
      measrRecv = new long[INITIAL_MEASR];
      bgSecond = new int[INITIAL_BG];
      bgClaimed = new long[INITIAL_BG];
      bgMax = new long[INITIAL_BG];
    }
    if (claimed.length > 64 * INITIAL_BG) {
      claimed = new long[INITIAL_BG];
      maxBg = new long[INITIAL_BG];
      bgLines = new int[INITIAL_BG];
    }
    this.measId = measId;
    this.relayFp = relayFp;
    this.beginTs = beginTs;
    givenBw = OptionalLong.empty();
    failure = Optional.empty();
    nMeasr = 0;
    nBg = 0;
    lastSecond = -1;
    return this;
  }

  long measId() {
    return measId;
  }

  String relayFp() {
    return relayFp;
  }

  long beginTs() {
    return beginTs;
  }

  OptionalLong givenBw() {
    return givenBw;
  }

  void givenBw(long given) {
    givenBw = OptionalLong.of(given);
  }

  /** Empty while open and after END; why it failed after FAIL. */
  Optional<MeasurementRecord.Failed> failure() {
    return failure;
  }

  void failure(Optional<MeasurementRecord.Failed> failure) {
    this.failure = failure;
  }

  void measr(int second, long recv) {
    if (nMeasr == measrSecond.length) {
      measrSecond = Arrays.copyOf(measrSecond, 2 * nMeasr);
      measrRecv = Arrays.copyOf(measrRecv, 2 * nMeasr);
    }
    measrSecond[nMeasr] = second;
    measrRecv[nMeasr++] = recv;
    lastSecond = Math.max(lastSecond, second);
  }

  void bg(int second, long claimedBg, long maxBgBytes) {
    if (nBg == bgSecond.length) {
      bgSecond = Arrays.copyOf(bgSecond, 2 * nBg);
      bgClaimed = Arrays.copyOf(bgClaimed, 2 * nBg);
      bgMax = Arrays.copyOf(bgMax, 2 * nBg);
    }
    bgSecond[nBg] = second;
    bgClaimed[nBg] = claimedBg;
    bgMax[nBg++] = maxBgBytes;
    lastSecond = Math.max(lastSecond, second);
  }

  /** How many seconds the measurement has: 0 to the last second with a line. */
  int secondCount() {
    return lastSecond + 1;
  }

  /** The ended measurement as a record. */
  MeasurementRecord record() {
    return new MeasurementRecord(measId, relayFp, beginTs, seconds(), failure, givenBw);
  }

  /** The seconds, MEASR values in file order within each. */
  List<MeasurementRecord.Second> seconds() {
    int n = secondCount();
    if (n == 0) {
      return List.of();
    }
    bucketBg(n);
    int[] count = new int[n];
    for (int i = 0; i < nMeasr; i++) {
      count[measrSecond[i]]++;
    }
    Long[][] recv = new Long[n][];
    for (int s = 0; s < n; s++) {
      recv[s] = new Long[count[s]];
      count[s] = 0;
    }
    for (int i = 0; i < nMeasr; i++) {
      int s = measrSecond[i];
      recv[s][count[s]++] = measrRecv[i];
    }
    List<MeasurementRecord.Second> out = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      out.add(new MeasurementRecord.Second(List.of(recv[s]), claimed[s], maxBg[s]));
    }
    return out;
  }

  /**
   * {@link Estimate#estimate(List)} of {@link #seconds}, computed without them.
   *
   * @throws IllegalArgumentException if there are no seconds
   */
  double estimate() {
    int n = secondCount();
    if (n == 0) {
      throw new IllegalArgumentException("no seconds to estimate from");
    }
    bucketBg(n);
    long[] measured = measuredPerSecond(n);
    for (int s = 0; s < n; s++) {
      measured[s] = Estimate.total(measured[s], claimed[s], maxBg[s]);
    }
    return Estimate.median(measured);
  }

  /**
   * {@link MeasurerLimit#measured} of {@link #seconds}, computed without them.
   *
   * @throws IllegalArgumentException if there are no seconds
   */
  double measured() {
    int n = secondCount();
    if (n == 0) {
      throw new IllegalArgumentException("no seconds to measure from");
    }
    return Estimate.median(measuredPerSecond(n));
  }

  /** {@link Estimate#measured(List)} per second: the same saturating sum, in any order. */
  private long[] measuredPerSecond(int n) {
    long[] measured = new long[n];
    for (int i = 0; i < nMeasr; i++) {
      int s = measrSecond[i];
      measured[s] = Estimate.saturatedAdd(measured[s], Math.max(0, measrRecv[i]));
    }
    return measured;
  }

  /** Fills {@link #claimed} and {@link #maxBg} for seconds {@code 0..n-1} from the BG lines. */
  private void bucketBg(int n) {
    if (claimed.length < n) {
      claimed = new long[n];
      maxBg = new long[n];
      bgLines = new int[n];
    } else {
      Arrays.fill(claimed, 0, n, 0);
      Arrays.fill(maxBg, 0, n, 0);
      Arrays.fill(bgLines, 0, n, 0);
    }
    for (int i = 0; i < nBg; i++) {
      int s = bgSecond[i];
      if (bgLines[s]++ == 0) {
        claimed[s] = bgClaimed[i];
        maxBg[s] = bgMax[i];
      } else {
        if (bgLines[s] == 2) {
          claimed[s] = Math.min(claimed[s], maxBg[s]);
        }
        claimed[s] = Estimate.saturatedAdd(claimed[s], Math.min(bgClaimed[i], bgMax[i]));
        maxBg[s] = Estimate.saturatedAdd(maxBg[s], bgMax[i]);
      }
    }
  }
}
