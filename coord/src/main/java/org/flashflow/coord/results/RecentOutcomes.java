package org.flashflow.coord.results;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * How each relay's measurements ended (completed, or failed for which {@link FailReason}) with
 * their begin times, so that a bandwidth file can count a relay's recent successes and failures by
 * reason (like sbws's {@code success} and {@code error_*} keys) for any age window. Compact: one
 * {@code long} per measurement ({@code beginTs * 16 + code}), so a week of a whole network's
 * measurements costs a few MB. Not thread-safe: fill on one thread, {@link #copy} to hand on.
 */
public final class RecentOutcomes {
  private static final int SUCCESS = 0;
  private static final FailReason[] REASONS = FailReason.values();

  static {
    if (REASONS.length >= 16) {
      throw new ExceptionInInitializerError("FailReason no longer fits in 4 bits");
    }
  }

  /** Per relay: packed outcomes, {@code size} of them used. */
  private final Map<String, long[]> packed = new HashMap<>();

  private final Map<String, Integer> sizes = new HashMap<>();

  /**
   * A relay's counts in a window.
   *
   * @param failures by reason; reasons that did not occur are absent
   */
  public record Counts(int successes, Map<FailReason, Integer> failures) {
    public static final Counts NONE = new Counts(0, Map.of());

    public Counts {
      Map<FailReason, Integer> copy = new EnumMap<>(FailReason.class);
      copy.putAll(failures);
      failures = Collections.unmodifiableMap(copy);
    }

    /** All failed measurements. */
    public int failureCount() {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Successes and failures. */
    public int attempts() {
      return successes + failureCount();
    }
  }

  /**
   * One measurement's outcome.
   *
   * @param failure empty: completed with an estimate
   */
  public void add(String relayFp, long beginTs, Optional<FailReason> failure) {
    if (beginTs < 0) {
      beginTs = 0;
    }
    int code = failure.map(r -> r.ordinal() + 1).orElse(SUCCESS);
    long value = beginTs * 16 + code;
    int n = sizes.getOrDefault(relayFp, 0);
    long[] a = packed.get(relayFp);
    if (a == null) {
      a = new long[4];
    } else if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n] = value;
    packed.put(relayFp, a);
    sizes.put(relayFp, n + 1);
  }

  /** The outcome of a record: a success if it completed with seconds, else its failure reason. */
  public void add(MeasurementRecord record) {
    if (record.completed()) {
      if (!record.seconds().isEmpty()) {
        add(record.relayFp(), record.beginTs(), Optional.empty());
      }
    } else {
      add(
          record.relayFp(),
          record.beginTs(),
          record.failure().map(MeasurementRecord.Failed::reason));
    }
  }

  /** Whether exactly this outcome (relay, begin time, reason) is already held. */
  public boolean contains(String relayFp, long beginTs, Optional<FailReason> failure) {
    long[] a = packed.get(relayFp);
    if (a == null) {
      return false;
    }
    long value = Math.max(0, beginTs) * 16 + failure.map(r -> r.ordinal() + 1).orElse(SUCCESS);
    int n = sizes.get(relayFp);
    for (int i = 0; i < n; i++) {
      if (a[i] == value) {
        return true;
      }
    }
    return false;
  }

  /** Forgets the outcomes of measurements that began before {@code oldestKept}. */
  public void prune(long oldestKept) {
    for (String fp : List.copyOf(packed.keySet())) {
      long[] a = packed.get(fp);
      int n = sizes.get(fp);
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if ((a[i] >>> 4) >= oldestKept) {
          a[kept++] = a[i];
        }
      }
      if (kept == 0) {
        packed.remove(fp);
        sizes.remove(fp);
      } else {
        sizes.put(fp, kept);
      }
    }
  }

  /** Outcomes held, all relays. */
  public int size() {
    return sizes.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Adds every outcome of {@code other}. */
  public void addAll(RecentOutcomes other) {
    other.packed.forEach(
        (fp, a) -> {
          int n = other.sizes.get(fp);
          for (int i = 0; i < n; i++) {
            add(fp, a[i] >>> 4, decode(a[i]));
          }
        });
  }

  /** An independent copy. */
  public RecentOutcomes copy() {
    RecentOutcomes c = new RecentOutcomes();
    packed.forEach(
        (fp, a) -> {
          int n = sizes.get(fp);
          c.packed.put(fp, Arrays.copyOf(a, n));
          c.sizes.put(fp, n);
        });
    return c;
  }

  /** {@code relayFp}'s measurements that began at or after {@code oldestAllowed}. */
  public Counts counts(String relayFp, long oldestAllowed) {
    long[] a = packed.get(relayFp);
    if (a == null) {
      return Counts.NONE;
    }
    int n = sizes.get(relayFp);
    int successes = 0;
    Map<FailReason, Integer> failures = new EnumMap<>(FailReason.class);
    for (int i = 0; i < n; i++) {
      if ((a[i] >>> 4) < oldestAllowed) {
        continue;
      }
      Optional<FailReason> f = decode(a[i]);
      if (f.isEmpty()) {
        successes++;
      } else {
        failures.merge(f.get(), 1, Integer::sum);
      }
    }
    return successes == 0 && failures.isEmpty() ? Counts.NONE : new Counts(successes, failures);
  }

  /** Every relay's counts in the window; relays without a measurement in it are absent. */
  public SortedMap<String, Counts> counts(long oldestAllowed) {
    SortedMap<String, Counts> out = new TreeMap<>();
    for (String fp : packed.keySet()) {
      Counts c = counts(fp, oldestAllowed);
      if (c.attempts() > 0) {
        out.put(fp, c);
      }
    }
    return out;
  }

  private static Optional<FailReason> decode(long value) {
    int code = (int) (value & 15);
    return code == SUCCESS ? Optional.empty() : Optional.of(REASONS[code - 1]);
  }
}
