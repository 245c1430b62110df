package org.flashflow.bench.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Random;
import org.flashflow.coord.schedule.Capacities;
import org.flashflow.coord.schedule.Outcome;
import org.flashflow.coord.schedule.Planner;
import org.flashflow.coord.schedule.Planner.Kind;
import org.flashflow.coord.schedule.Planner.State;
import org.flashflow.coord.schedule.ScheduleSettings;
import org.flashflow.coord.schedule.ScheduleSettings.Prior;
import org.flashflow.coord.schedule.Start;

/**
 * Measures a whole {@link SyntheticNetwork} from scratch with the real {@link Planner} in virtual
 * time, the way the daemon will drive it: at every slot start, first the measurements that ended by
 * then are reported ({@code ended}), then {@code due} says what to start. A measurement holds its
 * measurers for {@code setup + duration} seconds and measures {@code min(true capacity, capacity
 * given)} with 2% Gaussian noise (never more than given: measurers send no more).
 */
final class ScheduleSim {
  static final Instant T0 = Instant.parse("2024-01-02T00:00:00Z");

  /** One way of scheduling. */
  record Scenario(String name, int slotSeconds, Prior prior, boolean remeasure, int setupSeconds) {}

  /**
   * What a run did.
   *
   * @param makespan seconds from the first slot until the last relay had its final result
   * @param limitedLeft relays whose final result is measurer-limited
   * @param capacitySeconds sum over measurements of capacity given (bytes/s) times the time it was
   *     held
   */
  record Result(
      Scenario scenario,
      double makespan,
      boolean finished,
      int measurements,
      int remeasurements,
      int limitedLeft,
      int unfinished,
      double capacitySeconds) {}

  private record End(Instant at, String fp, long given) {}

  private ScheduleSim() {}

  static String fp(int i) {
    return String.format("%040X", i);
  }

  static ScheduleSettings settings(Scenario s, double multiplier, Map<String, Long> caps) {
    return new ScheduleSettings(
        Duration.ofDays(1),
        Duration.ofSeconds(s.slotSeconds()),
        multiplier,
        160,
        ScheduleSettings.LIMIT_FRACTION,
        s.remeasure(),
        s.prior(),
        ScheduleSettings.MAX_ATTEMPTS,
        new Capacities(caps, 12_500_000));
  }

  static Result run(
      SyntheticNetwork net,
      Scenario s,
      int durationSeconds,
      double multiplier,
      Map<String, Long> caps,
      long seed) {
    Planner planner = new Planner(settings(s, multiplier, caps), new Random(seed));
    Random noise = new Random(seed + 1);
    List<String> measurers = List.copyOf(caps.keySet());
    List<Planner.Relay> relays = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < net.size(); i++) {
      relays.add(
          new Planner.Relay(fp(i), OptionalDouble.empty(), OptionalLong.of(net.advertised[i])));
      index.put(fp(i), i);
    }
    planner.newPeriod(T0, relays, measurers);
    PriorityQueue<End> ends =
        new PriorityQueue<>(Comparator.comparing(End::at).thenComparing(End::fp));
    Map<String, Boolean> lastLimited = new HashMap<>();
    double finishedAt = 0;
    int measurements = 0;
    int remeasurements = 0;
    double capacitySeconds = 0;
    long hold = (long) s.setupSeconds() + durationSeconds;
    Instant now = T0;
    Instant periodEnd = T0.plus(Duration.ofDays(1));
    while (now.isBefore(periodEnd)) {
      while (!ends.isEmpty() && !ends.peek().at().isAfter(now)) {
        End e = ends.poll();
        double truth = net.capacity[index.get(e.fp())];
        double measured =
            Math.min(e.given(), Math.min(truth, e.given()) * (1 + 0.02 * noise.nextGaussian()));
        measured = Math.max(0, measured);
        lastLimited.put(e.fp(), measured >= ScheduleSettings.LIMIT_FRACTION * e.given());
        Planner.Followup f =
            planner.ended(e.at(), e.fp(), new Outcome.Completed(measured, measured));
        if (f.state() != State.PLANNED) {
          finishedAt = Math.max(finishedAt, Duration.between(T0, e.at()).toMillis() / 1000.0);
        }
      }
      Map<State, Integer> counts = planner.counts();
      if (counts.getOrDefault(State.PLANNED, 0) + counts.getOrDefault(State.RUNNING, 0) == 0) {
        break;
      }
      for (Start start : planner.due(now, measurers).starts()) {
        measurements++;
        remeasurements += start.kind() == Kind.REMEASURE ? 1 : 0;
        capacitySeconds += (double) start.given() * hold;
        ends.add(new End(now.plusSeconds(hold), start.relayFp(), start.given()));
      }
      now = planner.clock().nextSlotStart(now);
    }
    Map<State, Integer> counts = planner.counts();
    int unfinished =
        counts.getOrDefault(State.PLANNED, 0)
            + counts.getOrDefault(State.RUNNING, 0)
            + counts.getOrDefault(State.GAVE_UP, 0)
            + counts.getOrDefault(State.UNPLACED, 0);
    int limited = (int) lastLimited.values().stream().filter(b -> b).count();
    return new Result(
        s,
        finishedAt,
        unfinished == 0,
        measurements,
        remeasurements,
        limited,
        unfinished,
        capacitySeconds);
  }

  /**
   * The proposal's scheme over several periods, noise-free and ignoring slot capacity (one day
   * holds a period's measurements easily): each period measures every relay once with {@code
   * multiplier} times its latest estimate, and a measurer-limited estimate is all the next period
   * has. Returns the number of periods until every relay has a result that is not measurer-limited
   * (or was limited with all measurers).
   *
   * @param firstExpected per relay, what the first period assumes (bytes/s)
   */
  static int proposalPeriods(
      SyntheticNetwork net, double[] firstExpected, double multiplier, double measurerTotal) {
    int worst = 0;
    for (int i = 0; i < net.size(); i++) {
      double given = Math.min(measurerTotal, multiplier * firstExpected[i]);
      int period = 1;
      while (Math.min(net.capacity[i], given) >= ScheduleSettings.LIMIT_FRACTION * given
          && given < measurerTotal) {
        given = Math.min(measurerTotal, multiplier * Math.min(net.capacity[i], given));
        period++;
      }
      worst = Math.max(worst, period);
    }
    return worst;
  }
}
