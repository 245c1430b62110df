package org.flashflow.coord.results;

import java.util.ArrayList;
import java.util.List;

/**
 * One relay's results that can still be the one a bandwidth file uses: the newest that was not
 * measurer-limited, and the measurer-limited ones newer than it that no other limited result beats
 * (one is beaten by another at least as new and at least as large). The result used ({@link #used})
 * is the newest non-limited one, else the largest limited one; a limited result is a lower bound,
 * so it is used only when there is nothing better.
 *
 * <p>Why more than one limited result: the in-memory cache applies {@code max_results_age} only
 * when a file is rendered, and when the largest limited result ages out, the largest of the newer
 * ones must take its place. Results older than the newest non-limited one are never needed (it is
 * used as long as it is in the window, and they age out before it). Among equal begin times the one
 * offered later wins, as for a single result. Not thread-safe.
 */
final class RelayResults {
  private LatestResults.Result unlimited;

  /** Begin time strictly ascending, estimate strictly descending: none beats another. */
  private final List<LatestResults.Result> limited = new ArrayList<>(1);

  void offer(LatestResults.Result r) {
    if (unlimited != null && r.beginTs() < unlimited.beginTs()) {
      return;
    }
    if (!r.measurerLimited()) {
      unlimited = r;
      limited.removeIf(l -> l.beginTs() < r.beginTs());
      return;
    }
    for (LatestResults.Result l : limited) {
      boolean asGood = l.beginTs() >= r.beginTs() && l.estimate() >= r.estimate();
      if (asGood && (l.beginTs() > r.beginTs() || l.estimate() > r.estimate())) {
        return;
      }
    }
    limited.removeIf(l -> l.beginTs() <= r.beginTs() && l.estimate() <= r.estimate());
    int i = 0;
    while (i < limited.size() && limited.get(i).beginTs() < r.beginTs()) {
      i++;
    }
    limited.add(i, r);
  }

  /** The newest non-limited result, else the largest limited one; null if there is none. */
  LatestResults.Result used() {
    if (unlimited != null) {
      return unlimited;
    }
    return limited.isEmpty() ? null : limited.get(0);
  }

  /** Every result kept, oldest first. */
  void addTo(List<LatestResults.Result> out) {
    if (unlimited != null) {
      out.add(unlimited);
    }
    out.addAll(limited);
  }

  /**
   * Forgets limited results begun before {@code oldestKept} (they are never in a file's window
   * again), keeping the non-limited one and, if nothing else is left, the newest limited one, so
   * the schedule still knows a result of the relay.
   */
  void prune(long oldestKept) {
    if (limited.isEmpty()) {
      return;
    }
    LatestResults.Result newestLimited = limited.get(limited.size() - 1);
    limited.removeIf(l -> l.beginTs() < oldestKept);
    if (limited.isEmpty() && unlimited == null) {
      limited.add(newestLimited);
    }
  }

  /** How many results are kept (for tests). */
  int kept() {
    return (unlimited == null ? 0 : 1) + limited.size();
  }
}
