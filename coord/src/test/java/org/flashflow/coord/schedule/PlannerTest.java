package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.flashflow.coord.schedule.Planner.Kind;
import org.flashflow.coord.schedule.Planner.Relay;
import org.flashflow.coord.schedule.Planner.State;
import org.flashflow.coord.schedule.ScheduleSettings.Prior;
import org.junit.jupiter.api.Test;

class PlannerTest {
  /** A day start, so also the start of every period that divides a day. */
  private static final Instant T0 = Instant.parse("2024-01-02T00:00:00Z");

  private static final long MBIT = 125_000;
  private static final List<String> ABC = List.of("a", "b", "c");

  /** Returns the scripted values from nextInt(bound), so that a test can replay an example. */
  private static final class Scripted extends Random {
    private static final long serialVersionUID = 1L;
    private final int[] values;
    private int next;

    Scripted(int... values) {
      this.values = values;
    }

    @Override
    public int nextInt(int bound) {
      int v = values[next++];
      if (v >= bound) {
        throw new AssertionError(v + " >= " + bound);
      }
      return v;
    }
  }

  private static String fp(int i) {
    return String.format("%040X", i);
  }

  private static Relay known(int i, double estimate) {
    return new Relay(fp(i), OptionalDouble.of(estimate), OptionalLong.empty());
  }

  private static Relay unknown(int i, long advertised) {
    return new Relay(fp(i), OptionalDouble.empty(), OptionalLong.of(advertised));
  }

  private static ScheduleSettings settings(
      String period, int slotSeconds, double multiplier, Map<String, Long> caps) {
    return new ScheduleSettings(
        org.flashflow.common.config.Durations.parse(period),
        Duration.ofSeconds(slotSeconds),
        multiplier,
        160,
        0.9,
        true,
        Prior.ADVERTISED,
        ScheduleSettings.MAX_ATTEMPTS,
        new Capacities(caps, 100));
  }

  private static Map<String, Long> abc(long each) {
    return Map.of("a", each, "b", each, "c", each);
  }

  @Test
  void theProposalsWorkedExample() {
    // 1 Gbit/s of measurers, m = 2, 5 slots; the random picks of the example: 500 -> 3, 300 -> 2,
    // 250 -> 2 (full) then 0, 200 -> 2 (exactly full now), 100 -> 4, 50 -> 4.
    Planner p =
        new Planner(
            settings("300 s", 60, 2.0, Map.of("m", 1000 * MBIT)),
            new Scripted(3, 2, 2, 0, 2, 4, 4));
    int[] mbits = {250, 50, 500, 200, 100, 300};
    List<Relay> relays = new ArrayList<>();
    for (int mbit : mbits) {
      relays.add(known(mbit, mbit * MBIT));
    }
    Planner.PlanSummary s = p.newPeriod(T0, relays, List.of("m"));
    assertEquals(6, s.placedRandom());
    assertEquals(Map.of(), s.unplaced());
    Map<Integer, Integer> slotOf = Map.of(500, 3, 300, 2, 250, 0, 200, 2, 100, 4, 50, 4);
    for (int mbit : mbits) {
      assertEquals(slotOf.get(mbit), p.entry(fp(mbit)).orElseThrow().slot(), mbit + " Mbit/s");
    }
    long[] reserved = {500, 0, 1000, 1000, 300};
    for (int slot = 0; slot < 5; slot++) {
      assertEquals(reserved[slot] * MBIT, p.reserved(slot), "slot " + slot);
    }
  }

  /**
   * A measurement that ends while the wall clock reads an earlier period (stepped back) still
   * counts for its own period: left RUNNING, the relay would never be measured once the clock is
   * back.
   */
  @Test
  void endedWithTheClockSteppedBackStillCounts() {
    Planner p = new Planner(settings("300 s", 60, 2.0, Map.of("m", 1000 * MBIT)), new Random(1));
    p.newPeriod(T0, List.of(known(1, 100 * MBIT), known(2, 100 * MBIT)), List.of("m"));
    Instant end = T0.plusSeconds(299);
    List<Start> starts = p.due(end, List.of("m")).starts();
    assertEquals(2, starts.size());
    Instant back = end.minus(Duration.ofHours(1));
    assertEquals(
        State.DONE, p.ended(back, fp(1), new Outcome.Completed(90 * MBIT, 95 * MBIT)).state());
    Planner.Followup f = p.ended(back, fp(2), new Outcome.Failed("relay refused"));
    assertEquals(State.GAVE_UP, f.state(), f.toString()); // no later slot in the period
    assertEquals(State.DONE, p.entry(fp(1)).orElseThrow().state());
    assertEquals(State.GAVE_UP, p.entry(fp(2)).orElseThrow().state());
  }

  @Test
  void capacityNeverExceededAndEveryRelayPlacedOrExplained() {
    for (long seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      List<Relay> relays = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        double capacity = Math.exp(r.nextGaussian() * 1.5) * 20 * MBIT;
        relays.add(r.nextInt(4) == 0 ? unknown(i, (long) capacity / 2) : known(i, capacity));
      }
      Planner p = new Planner(settings("1 h", 60, 2.25, abc(1000 * MBIT)), new Random(seed));
      Instant now = T0.plusSeconds(r.nextInt(1800));
      Planner.PlanSummary s = p.newPeriod(now, relays, ABC);
      assertEquals(
          relays.size(),
          s.placedRandom() + s.placedFirstFit() + s.unplaced().size(),
          "seed " + seed);
      Map<Integer, Long> sums = new HashMap<>();
      for (Relay relay : relays) {
        ScheduleState.Entry e = p.entry(relay.fp()).orElseThrow();
        if (e.state() == State.UNPLACED) {
          assertFalse(e.detail().isEmpty());
          assertEquals(e.detail(), s.unplaced().get(relay.fp()));
        } else {
          assertEquals(State.PLANNED, e.state());
          assertTrue(e.slot() >= s.firstSlot(), "a slot that already began");
          assertTrue(e.need() >= 1 && e.need() <= p.capacity());
          sums.merge(e.slot(), e.need(), Long::sum);
        }
      }
      for (int slot = 0; slot < s.slots(); slot++) {
        assertTrue(p.reserved(slot) <= p.capacity(), "slot " + slot + " overbooked");
        assertEquals(sums.getOrDefault(slot, 0L), p.reserved(slot));
      }
    }
  }

  @Test
  void startingMidPeriodUsesOnlyFutureSlots() {
    Planner p = new Planner(settings("1 h", 60, 2.25, abc(1000 * MBIT)), new Random(1));
    List<Relay> relays = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      relays.add(known(i, 10 * MBIT));
    }
    Planner.PlanSummary s = p.newPeriod(T0.plusSeconds(600 + 1), relays, ABC);
    assertEquals(11, s.firstSlot());
    for (int slot = 0; slot < 11; slot++) {
      assertEquals(0, p.reserved(slot));
    }
    assertEquals(500, s.placedRandom());
  }

  @Test
  void newRelaysFirstInTheFirstSlotWithRoomAndWithTheirAdvertisedBandwidth() {
    Planner p = new Planner(settings("10 min", 60, 2.0, abc(1000)), new Random(1));
    // 800 advertised needs 1600 with m = 2: one per slot of 3000; the small one joins slot 0.
    List<Relay> relays =
        List.of(unknown(1, 800), unknown(2, 800), unknown(3, 800), unknown(4, 800), unknown(5, 50));
    Planner.PlanSummary s = p.newPeriod(T0, relays, ABC);
    assertEquals(5, s.placedFirstFit());
    Map<Integer, Integer> perSlot = new HashMap<>();
    for (Relay r : relays) {
      ScheduleState.Entry e = p.entry(r.fp()).orElseThrow();
      assertEquals(Kind.NEW, e.kind());
      assertEquals(2 * r.advertised().getAsLong(), e.need());
      perSlot.merge(e.slot(), 1, Integer::sum);
    }
    assertEquals(Map.of(0, 2, 1, 1, 2, 1, 3, 1), perSlot);
    assertEquals(0, p.entry(fp(5)).orElseThrow().slot());
  }

  @Test
  void percentile75PriorWhenAskedOrNothingAdvertised() {
    ScheduleSettings base = settings("10 min", 60, 1.0, abc(1_000_000));
    ScheduleSettings p75 =
        new ScheduleSettings(
            base.period(),
            base.slot(),
            1.0,
            160,
            0.9,
            true,
            Prior.PERCENTILE_75,
            4,
            base.capacities());
    List<Relay> relays = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      relays.add(known(i, i * 100));
    }
    relays.add(unknown(100, 5));
    relays.add(new Relay(fp(101), OptionalDouble.empty(), OptionalLong.empty()));
    Planner a = new Planner(base, new Random(1));
    assertEquals(600, a.newPeriod(T0, relays, ABC).percentile75());
    assertEquals(5, a.entry(fp(100)).orElseThrow().need());
    assertEquals(600, a.entry(fp(101)).orElseThrow().need());
    Planner b = new Planner(p75, new Random(1));
    b.newPeriod(T0, relays, ABC);
    assertEquals(600, b.entry(fp(100)).orElseThrow().need());
  }

  @Test
  void measurerLimitedIsMeasuredAgainWithTwiceTheCapacityUntilAllMeasurers() {
    Planner p = new Planner(settings("10 min", 60, 2.0, abc(1000)), new Random(1));
    p.newPeriod(T0, List.of(unknown(1, 300)), ABC);
    Planner.Due due = p.due(T0, ABC);
    Start s = due.starts().get(0);
    assertEquals(600, s.given());
    assertEquals(
        List.of(new Assignment("a", 160, OptionalLong.of(600))), s.request().assignments());
    assertEquals(Map.of("a", 600L), p.busy());
    assertTrue(p.isRunning(fp(1)));

    Instant end = T0.plusSeconds(35);
    Planner.Followup f = p.ended(end, fp(1), new Outcome.Completed(590, 700));
    assertEquals(State.PLANNED, f.state());
    assertEquals(Optional.of(Kind.REMEASURE), f.kind());
    assertEquals(OptionalInt.of(1), f.slot());
    assertEquals(Map.of(), p.busy());
    assertFalse(p.isRunning(fp(1)));

    Instant slot1 = T0.plusSeconds(60);
    s = p.due(slot1, ABC).starts().get(0);
    assertEquals(1200, s.given());
    assertEquals(2, s.request().assignments().size());
    f = p.ended(slot1.plusSeconds(35), fp(1), new Outcome.Completed(1150, 1300));
    assertEquals(OptionalInt.of(2), f.slot());

    s = p.due(T0.plusSeconds(120), ABC).starts().get(0);
    assertEquals(2400, s.given());
    f = p.ended(T0.plusSeconds(155), fp(1), new Outcome.Completed(2300, 2500));
    s = p.due(T0.plusSeconds(180), ABC).starts().get(0);
    assertEquals(3000, s.given(), "twice 2400, capped at all measurers");
    f = p.ended(T0.plusSeconds(215), fp(1), new Outcome.Completed(2990, 3100));
    assertEquals(State.LIMITED_AT_MAX, f.state());

    // Below 90% of what was given: done after one measurement.
    p.newPeriod(T0.plus(Duration.ofMinutes(10)), List.of(unknown(2, 300)), ABC);
    p.due(T0.plus(Duration.ofMinutes(10)), ABC);
    f = p.ended(T0.plus(Duration.ofMinutes(11)), fp(2), new Outcome.Completed(539, 700));
    assertEquals(State.DONE, f.state());
  }

  @Test
  void aMissingMeasurerIsReplacedByFreeCapacityElseTheMeasurementMovesOn() {
    Planner p = new Planner(settings("10 min", 60, 1.0, abc(1000)), new Random(1));
    p.newPeriod(T0, List.of(unknown(1, 1500), unknown(2, 900)), ABC);
    assertEquals(0, p.entry(fp(1)).orElseThrow().slot());
    assertEquals(0, p.entry(fp(2)).orElseThrow().slot());
    // Only a and b: 2000 free. The 1500 one (placed first) fits, the 900 one does not.
    Planner.Due due = p.due(T0, List.of("a", "b"));
    assertEquals(1, due.starts().size());
    String started = due.starts().get(0).relayFp();
    String other = started.equals(fp(1)) ? fp(2) : fp(1);
    assertTrue(due.deferred().get(other).contains("free among 2 connected"), due.toString());
    ScheduleState.Entry e = p.entry(other).orElseThrow();
    assertEquals(State.PLANNED, e.state());
    assertEquals(Kind.RETRY, e.kind());
    assertEquals(1, e.slot());
    assertEquals(1, e.attempts());
    for (Start s : due.starts()) {
      for (Assignment a : s.request().assignments()) {
        assertTrue(Set.of("a", "b").contains(a.measurerName()));
      }
    }
  }

  @Test
  void failuresAreRetriedUntilMaxAttempts() {
    Planner p = new Planner(settings("10 min", 60, 1.0, abc(1000)), new Random(1));
    p.newPeriod(T0, List.of(unknown(1, 100)), ABC);
    for (int attempt = 1; attempt <= ScheduleSettings.MAX_ATTEMPTS; attempt++) {
      Instant slotStart = T0.plusSeconds(60L * (attempt - 1));
      List<Start> starts = p.due(slotStart, ABC).starts();
      assertEquals(1, starts.size(), "attempt " + attempt);
      Planner.Followup f = p.refused(slotStart.plusSeconds(1), fp(1), "tor is not ready yet");
      if (attempt < ScheduleSettings.MAX_ATTEMPTS) {
        assertEquals(State.PLANNED, f.state());
        assertEquals(OptionalInt.of(attempt), f.slot());
      } else {
        assertEquals(State.GAVE_UP, f.state());
        assertEquals("gave up after 4 attempts; last: refused: tor is not ready yet", f.detail());
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> p.ended(T0.plusSeconds(300), fp(1), new Outcome.Failed("x")));
  }

  @Test
  void firstAttemptsKeepOffTheLastSlotsUnlessTheRestIsFull() {
    // 30 slots of 30 s and 4 attempts: the last 3 slots are kept for retries. 3 relays fit a slot.
    Planner p = new Planner(settings("15 min", 30, 1.0, abc(1000)), new Random(3));
    List<Relay> relays = new ArrayList<>();
    for (int i = 1; i <= 81; i++) {
      relays.add(known(i, 1000));
    }
    Planner.PlanSummary s = p.newPeriod(T0, relays, ABC);
    assertEquals(3, p.retryReserve());
    assertEquals(81, s.placedRandom());
    for (Relay r : relays) {
      int slot = p.entry(r.fp()).orElseThrow().slot();
      assertTrue(slot < 27, r.fp() + " in slot " + slot);
    }
    // Slots 0-26 are full now: a relay that appears goes into the reserve rather than nowhere.
    List<Relay> more = new ArrayList<>(relays);
    more.add(known(82, 1000));
    assertEquals(Map.of(fp(82), 27), p.consensusChanged(T0, more));
    // The rest of the reserve is free for the retries of failures late in the period.
    assertEquals(1000, p.reserved(27));
    assertEquals(0, p.reserved(28));
    assertEquals(0, p.reserved(29));
  }

  @Test
  void aRelayLargerThanAllMeasurersGetsAllOfThem() {
    Planner p = new Planner(settings("10 min", 60, 2.25, abc(1000)), new Random(1));
    Planner.PlanSummary s = p.newPeriod(T0, List.of(known(1, 5000), known(2, 10)), ABC);
    assertEquals(List.of(fp(1)), s.oversized());
    assertEquals(3000, p.entry(fp(1)).orElseThrow().need());
    int slot = p.entry(fp(1)).orElseThrow().slot();
    int other = p.entry(fp(2)).orElseThrow().slot();
    if (other < slot) { // the small relay's measurement first, done before the large one's slot
      p.due(T0.plusSeconds(60L * other), ABC);
      p.ended(T0.plusSeconds(60L * other + 30), fp(2), new Outcome.Completed(10, 10));
    }
    Instant at = T0.plusSeconds(60L * slot);
    // Even with c gone, a and b are idle: measure with both rather than never.
    Start start =
        p.due(at, List.of("a", "b")).starts().stream()
            .filter(x -> x.relayFp().equals(fp(1)))
            .findFirst()
            .orElseThrow();
    assertEquals(2000, start.given());
    assertEquals(80, start.request().assignments().get(0).nCircs());
  }

  @Test
  void consensusChangesAddAndDropRelays() {
    Planner p = new Planner(settings("10 min", 60, 1.0, abc(1000)), new Random(1));
    p.newPeriod(T0, List.of(known(1, 100), known(2, 100)), ABC);
    p.due(T0, ABC);
    Instant later = T0.plusSeconds(61);
    Map<String, Integer> placed =
        p.consensusChanged(later, List.of(known(1, 100), unknown(3, 200)));
    assertEquals(Map.of(fp(3), 2), placed, "first slot with room that has not begun");
    ScheduleState.Entry two = p.entry(fp(2)).orElseThrow();
    if (two.slot() >= 1) {
      assertEquals(State.DROPPED, two.state());
    }
    long reservedTotal = 0;
    for (int slot = 0; slot < 10; slot++) {
      reservedTotal += p.reserved(slot);
    }
    long expected = 200 + (p.entry(fp(1)).orElseThrow().state() == State.PLANNED ? 100 : 0);
    assertEquals(expected, reservedTotal);
  }

  @Test
  void snapshotAndRestoreGoOnWhereTheyWere() {
    ScheduleSettings settings = settings("10 min", 60, 1.0, abc(1000));
    Planner p = new Planner(settings, new Random(1));
    p.newPeriod(T0, List.of(unknown(1, 100), known(2, 100), known(3, 100)), ABC);
    p.due(T0, ABC);
    ScheduleState state = p.snapshot();
    assertEquals(State.RUNNING, p.entry(fp(1)).orElseThrow().state());

    Instant restart = T0.plusSeconds(90);
    Planner q = Planner.restore(settings, new Random(2), p.snapshot(), restart);
    assertEquals(state.period(), q.snapshot().period());
    ScheduleState.Entry again = q.entry(fp(1)).orElseThrow();
    assertEquals(State.PLANNED, again.state());
    assertEquals(2, again.slot(), "the first slot that has not begun at the restart");
    assertEquals(0, again.attempts());
    for (int fp = 2; fp <= 3; fp++) {
      ScheduleState.Entry before = p.entry(fp(fp)).orElseThrow();
      ScheduleState.Entry after = q.entry(fp(fp)).orElseThrow();
      assertEquals(before.slot() >= 2 ? before.slot() : 2, after.slot());
    }
    // A state of an older period is no plan for this one.
    Instant nextPeriod = T0.plus(Duration.ofMinutes(10));
    assertFalse(Planner.restore(settings, new Random(2), state, nextPeriod).isCurrent(nextPeriod));
    assertThrows(IllegalStateException.class, () -> p.due(T0.plus(Duration.ofMinutes(10)), ABC));
  }

  @Test
  void aStateThatDoesNotFitTheSettingsIsRefusedAsWrongContent() {
    ScheduleSettings settings = settings("10 min", 60, 1.0, abc(1000));
    Planner p = new Planner(settings, new Random(1));
    p.newPeriod(T0, List.of(known(2, 100), known(3, 100)), ABC);
    ScheduleState state = p.snapshot();
    ScheduleState.Entry e = state.entries().get(0);
    ScheduleState outside =
        new ScheduleState(
            state.period(),
            state.nextDue(),
            state.capacity(),
            List.of(
                new ScheduleState.Entry(
                    e.fp(), State.PLANNED, e.kind(), 99, e.need(), e.given(), 0, "")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Planner.restore(settings, new Random(2), outside, T0));
    ScheduleState overbooked =
        new ScheduleState(
            state.period(),
            state.nextDue(),
            state.capacity(),
            List.of(
                new ScheduleState.Entry(
                    e.fp(), State.PLANNED, e.kind(), 5, state.capacity() + 1, 0, 0, "")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Planner.restore(settings, new Random(2), overbooked, T0));
  }
}
