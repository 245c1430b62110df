package org.flashflow.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.flashflow.coord.schedule.Planner;
import org.flashflow.coord.schedule.SavedSchedule;
import org.flashflow.coord.schedule.ScheduleState;
import org.flashflow.coord.schedule.SlotClock;
import org.flashflow.torctl.model.RouterStatus;

/**
 * Where the relays of the current measurement period stand: from the schedule's state file when
 * there is one, else (the schedule is off, as in the demo) from the results log alone.
 *
 * @param counts relays per state, in the order to show them (states without relays included)
 * @param summary one line on the period and where the numbers come from
 */
record PeriodProgress(Map<String, Integer> counts, String summary) {
  static final String MEASURED = "measured this period";
  static final String ONLY_FAILED = "only failed this period";
  static final String NOT_YET = "not measured yet";

  /** From the saved schedule. */
  static PeriodProgress of(SavedSchedule saved, Instant now) {
    ScheduleState s = saved.schedule();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Planner.State state : Planner.State.values()) {
      counts.put(state.name(), 0);
    }
    for (ScheduleState.Entry e : s.entries()) {
      counts.merge(e.state().name(), 1, Integer::sum);
    }
    SlotClock clock = saved.clock();
    long current = clock.periodIndex(now);
    Instant start = clock.periodStart(s.period());
    Instant end = clock.periodStart(s.period() + 1);
    String which =
        s.period() == current
            ? ""
            : " (not the current period: the coordinator has not saved one for "
                + Html.utc(clock.periodStart(current).getEpochSecond())
                + " yet)";
    String summary =
        String.format(
            Locale.ROOT,
            "schedule state file: period %s to %s%s; %d of %d slots started, %d relays",
            Html.utc(start.getEpochSecond()),
            Html.utc(end.getEpochSecond()),
            which,
            Math.min(s.nextDue(), clock.slotsInPeriod()),
            clock.slotsInPeriod(),
            s.entries().size());
    if (s.period() == current) {
      summary += String.format(Locale.ROOT, "; %.0f%% of the period gone", gone(start, end, now));
    }
    return new PeriodProgress(counts, summary);
  }

  /**
   * From the results log: which relays of the consensus (or, without one, of the log) completed a
   * measurement in the current period, which only failed, and which were not measured yet.
   */
  static PeriodProgress of(
      ResultsDigest digest, List<RouterStatus> consensus, Duration period, Instant now) {
    SlotClock clock = new SlotClock(period, period);
    long index = clock.periodIndex(now);
    Instant start = clock.periodStart(index);
    Instant end = clock.periodStart(index + 1);
    long from = start.getEpochSecond();
    Collection<String> relays = new TreeSet<>();
    consensus.forEach(rs -> relays.add(rs.fingerprint()));
    if (relays.isEmpty()) {
      relays.addAll(digest.relays().keySet());
    }
    int measured = 0;
    int onlyFailed = 0;
    for (String fp : relays) {
      ResultsDigest.Relay r = digest.relays().get(fp);
      if (r != null && r.hasEstimate() && r.beginTs() >= from) {
        measured++;
      } else if (r != null && r.lastFailTs() >= from) {
        onlyFailed++;
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put(MEASURED, measured);
    counts.put(ONLY_FAILED, onlyFailed);
    counts.put(NOT_YET, relays.size() - measured - onlyFailed);
    return new PeriodProgress(
        counts,
        String.format(
            Locale.ROOT,
            "no schedule state file: from the results log; period %s to %s, %.0f%% gone; %d"
                + " relays of the %s",
            Html.utc(from),
            Html.utc(end.getEpochSecond()),
            gone(start, end, now),
            relays.size(),
            consensus.isEmpty() ? "results log (no saved consensus)" : "saved consensus"));
  }

  private static double gone(Instant start, Instant end, Instant now) {
    double total = Duration.between(start, end).toMillis();
    double done = Duration.between(start, now).toMillis();
    return Math.max(0, Math.min(100, 100 * done / total));
  }
}
