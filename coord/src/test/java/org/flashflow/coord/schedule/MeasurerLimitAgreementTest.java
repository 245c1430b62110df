package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.MeasurerLimit;
import org.flashflow.coord.schedule.Planner.Relay;
import org.flashflow.coord.schedule.Planner.State;
import org.junit.jupiter.api.Test;

/**
 * The schedule (re-measures a measurer-limited relay) and the results side (chooses the result a
 * bandwidth file uses) decide "measurer-limited" the same way, from the same record.
 */
class MeasurerLimitAgreementTest {
  private static final Instant T0 = Instant.parse("2024-01-02T00:00:00Z");
  private static final String FP = String.format("%040X", 1);

  private static ScheduleSettings settings() {
    return new ScheduleSettings(
        Duration.ofMinutes(10),
        Duration.ofSeconds(60),
        2.0,
        160,
        ScheduleSettings.LIMIT_FRACTION,
        true,
        ScheduleSettings.Prior.ADVERTISED,
        ScheduleSettings.MAX_ATTEMPTS,
        new Capacities(Map.of("a", 1000L, "b", 1000L, "c", 1000L), 100));
  }

  /** Planner's verdict and the results side's verdict on a record with these per-second sums. */
  private static void check(boolean expectLimited, long... sums) {
    Planner p = new Planner(settings(), new Random(1));
    p.newPeriod(
        T0, List.of(new Relay(FP, OptionalDouble.empty(), OptionalLong.of(300))), List.of("a"));
    Start s = p.due(T0, List.of("a", "b", "c")).starts().get(0);
    MeasurementRequest request = s.request();
    assertEquals(OptionalLong.of(s.given()), request.givenBw(), "GIVEN = the planner's given");
    assertEquals(600, s.given());

    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    for (long sum : sums) {
      seconds.add(new MeasurementRecord.Second(List.of(sum), 5 * sum, sum / 3));
    }
    MeasurementRecord record =
        new MeasurementRecord(1, FP, 100, seconds, Optional.empty(), request.givenBw());
    Outcome o = Outcome.of(record, OptionalDouble.of(Estimate.estimate(record)));
    assertEquals(MeasurerLimit.measured(seconds), ((Outcome.Completed) o).measured());

    State planned = p.ended(T0.plusSeconds(35), FP, o).state();
    boolean plannerLimited = planned != State.DONE;
    assertEquals(expectLimited, plannerLimited, "planner: " + planned);
    assertEquals(expectLimited, MeasurerLimit.limited(record), "results side");
  }

  @Test
  void bothSidesAgreeAtTheBoundary() {
    check(true, 540, 540, 540); // exactly 0.9 x 600
    check(false, 539, 540, 539);
    check(true, 100, 539, 541, 9000); // even count: (539 + 541) / 2 = 540
    check(false, 100, 539, 540, 9000);
    // The estimate (with background up to 1/(1-r) more) would pass 540; the measured traffic does
    // not, so neither side calls it limited.
    check(false, 500, 500, 500);
  }

  @Test
  void aManualMeasureHasNoGivenCapacity() {
    MeasurementRequest manual = MeasurementRequest.evenSplit(FP, List.of("a", "b"), 10);
    assertEquals(OptionalLong.empty(), manual.givenBw());
    MeasurementRequest mixed =
        new MeasurementRequest(
            FP,
            List.of(
                new MeasurementRequest.Assignment("a", 1, OptionalLong.of(5)),
                new MeasurementRequest.Assignment("b", 1, OptionalLong.empty())));
    assertEquals(OptionalLong.empty(), mixed.givenBw());
    MeasurementRequest shares =
        new MeasurementRequest(
            FP,
            List.of(
                new MeasurementRequest.Assignment("a", 1, OptionalLong.of(5)),
                new MeasurementRequest.Assignment("b", 1, OptionalLong.of(7))));
    assertEquals(OptionalLong.of(12), shares.givenBw());
  }
}
