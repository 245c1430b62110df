package org.flashflow.coord.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.schedule.ScheduleRunner.Stall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule's stall alarm (docs/operations.md, "Stall alarm"): relays were due and no scheduled
 * measurement completed for {@code [schedule] stall_after}. It says why (tor, no measurers, every
 * measurement failing the same way, ...), logs one WARN per schedule period at most (later changes
 * at INFO), and sets the metric. Owned by the loop, driven by {@link ScheduleRunner}.
 */
final class StallAlarm {
  private static final Logger log = LoggerFactory.getLogger(StallAlarm.class);
  private static final Pattern FP = Pattern.compile("[0-9A-F]{40}");
  private static final int MAX_KINDS = 16;

  /**
   * What the runner knows at a check.
   *
   * @param torProblem why tor cannot measure; empty when it is ready
   * @param measurersConnected measurers connected now
   * @param planned whether there is a schedule for the current period
   */
  record Context(Optional<String> torProblem, int measurersConnected, boolean planned) {}

  private final Duration after;
  private final CoordMetrics metrics;
  private final Map<String, Integer> failures = new TreeMap<>();
  private final Map<String, Integer> refusals = new TreeMap<>();
  private String lastDeferral = "";
  private Instant quietSince;
  private Stall stall;
  private long warnedPeriod = Long.MIN_VALUE;
  private int warnings;

  StallAlarm(Duration after, CoordMetrics metrics) {
    this.after = Objects.requireNonNull(after, "after");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    metrics.scheduleStalled(Optional.empty());
  }

  /** A scheduled measurement completed: the schedule moves. */
  void completed(Instant now) {
    reset(now, "a scheduled measurement completed");
  }

  /** A scheduled measurement failed with {@code reason} (a results-log FAIL reason). */
  void failed(String reason) {
    failures.merge(reason, 1, Integer::sum); // FAIL reasons: a dozen at most
  }

  /** A scheduled measurement was refused before it began. */
  void refused(String why) {
    // Counted by kind: the same refusal names different relays and meas_ids.
    String kind = FP.matcher(why).replaceAll("<fp>").replaceAll("meas_id \\d+", "meas_id N");
    if (refusals.size() < MAX_KINDS || refusals.containsKey(kind)) {
      refusals.merge(kind, 1, Integer::sum);
    }
  }

  /** Relays due this slot could not start; {@code why} the last reason given. */
  void deferred(String why) {
    lastDeferral = why;
  }

  /**
   * At each slot start.
   *
   * @param due whether relays were due: no schedule for the period, a scheduled measurement
   *     running, or relays planned in a slot that has begun
   */
  void check(Instant now, long period, boolean due, Context context) {
    if (!due && stall == null) {
      reset(now, "nothing is due");
      return;
    }
    if (!due) {
      return; // a stall lasts until a measurement completes, even once its relays gave up
    }
    if (quietSince == null) {
      quietSince = now;
    }
    if (Duration.between(quietSince, now).compareTo(after) < 0) {
      return;
    }
    Stall next = diagnose(context);
    boolean changed = stall == null || !stall.reason().equals(next.reason());
    stall = next;
    if (changed) {
      metrics.scheduleStalled(Optional.of(next.reason()));
    }
    String text =
        "schedule stalled: relays due and no scheduled measurement completed since {} ({}): {} [{}]";
    Object[] args = {
      quietSince, minutes(Duration.between(quietSince, now)), next.detail(), next.reason()
    };
    if (warnedPeriod != period) {
      warnedPeriod = period;
      warnings++;
      log.warn(text, args);
    } else if (changed) {
      log.info(text, args);
    }
  }

  private Stall diagnose(Context c) {
    if (c.torProblem().isPresent()) {
      return stall("tor_down", c.torProblem().get());
    }
    if (c.measurersConnected() == 0) {
      return stall("no_measurers", "no measurer is connected");
    }
    if (!failures.isEmpty()) {
      int n = failures.values().stream().mapToInt(Integer::intValue).sum();
      String detail =
          failures.size() == 1
              ? "every scheduled measurement failed: "
                  + n
                  + " x "
                  + failures.keySet().iterator().next()
              : n + " scheduled measurements failed: " + counts(failures);
      return stall("measurements_failing", detail);
    }
    if (!c.planned()) {
      return stall("no_schedule", "no schedule for this period (no consensus from tor yet)");
    }
    if (!refusals.isEmpty()) {
      return stall("measurements_refused", "measurements refused: " + counts(refusals));
    }
    if (!lastDeferral.isEmpty()) {
      return stall("not_starting", "due relays could not start: " + lastDeferral);
    }
    return stall("no_progress", "measurements started but none completed");
  }

  private Stall stall(String reason, String detail) {
    return new Stall(reason, detail, quietSince);
  }

  private void reset(Instant now, String why) {
    quietSince = now;
    failures.clear();
    refusals.clear();
    lastDeferral = "";
    if (stall != null) {
      log.info(
          "schedule no longer stalled ({}; it was since {}: {})",
          why,
          stall.since(),
          stall.reason());
      stall = null;
      metrics.scheduleStalled(Optional.empty());
    }
  }

  /** WARNs logged so far, for tests. */
  int warnings() {
    return warnings;
  }

  /** The stall now, if any. */
  Optional<Stall> current() {
    return Optional.ofNullable(stall);
  }

  private static String counts(Map<String, Integer> m) {
    return m.entrySet().stream()
        .map(e -> e.getValue() + " x " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  private static String minutes(Duration d) {
    return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
