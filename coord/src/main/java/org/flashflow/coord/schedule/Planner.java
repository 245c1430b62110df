package org.flashflow.coord.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.flashflow.coord.core.MeasurerLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which relays to measure when, and with which measurers (proposal 316 section 3.2.1.2,
 * extended as docs/schedule.md explains). The daemon calls it on the loop; it owns no thread, timer
 * or clock: every call gets {@code now}, and randomness comes from the {@link Random} given (a
 * {@code SecureRandom} in production, so that a relay cannot predict its slot).
 *
 * <p>Life of a period: {@link #newPeriod} places every relay in a slot; at each slot start {@link
 * #due} hands out the measurements to start; {@link #ended} (or {@link #refused}) reports each
 * outcome, which may place the relay again (measurer-limited: twice the capacity; failed: retry);
 * {@link #consensusChanged} adds relays that appeared and drops those that left.
 */
public final class Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

  /** Why a relay is in a slot. */
  public enum Kind {
    /** A relay with an estimate, in a uniformly random slot with room. */
    SCHEDULED,
    /** A relay without an estimate, in the first slot with room: measure it as soon as possible. */
    NEW,
    /** Measured again after a measurer-limited result, with twice the capacity. */
    REMEASURE,
    /** Started again after a failure or too little free measurer capacity. */
    RETRY
  }

  /** Where a relay stands in the current period. */
  public enum State {
    PLANNED,
    RUNNING,
    /** Has a result this period that is not measurer-limited. */
    DONE,
    /** Measurer-limited although every measurer took part: a lower bound, the best we can do. */
    LIMITED_AT_MAX,
    /** Failed {@code maxAttempts} times, or no slot had room for another try. */
    GAVE_UP,
    /** No slot of the period had room. */
    UNPLACED,
    /** Left the consensus before it was measured. */
    DROPPED
  }

  /**
   * A relay of the consensus (already filtered by the {@link RelayFilter}).
   *
   * @param estimate its latest estimate (bytes/s) if any
   * @param advertised its consensus bandwidth (bytes/s) if known
   */
  public record Relay(String fp, OptionalDouble estimate, OptionalLong advertised) {
    public Relay {
      Objects.requireNonNull(fp, "fp");
      Objects.requireNonNull(estimate, "estimate");
      Objects.requireNonNull(advertised, "advertised");
    }
  }

  /**
   * What {@link #newPeriod} did: every relay is counted in one of the placed numbers or listed in
   * {@code unplaced} with the reason.
   *
   * @param oversized relays whose need exceeds all measurers together; they get all of them
   */
  public record PlanSummary(
      long period,
      int firstSlot,
      int slots,
      long capacity,
      int placedRandom,
      int placedFirstFit,
      Map<String, String> unplaced,
      List<String> oversized,
      double percentile75) {}

  /** The measurements of {@link #due}: those to start, and those moved to a later slot (why). */
  public record Due(List<Start> starts, Map<String, String> deferred) {}

  /** What happens next with a relay after {@link #ended}. */
  public record Followup(State state, Optional<Kind> kind, OptionalInt slot, String detail) {}

  private static final class Entry {
    final String fp;
    State state = State.PLANNED;
    Kind kind;
    int slot = -1;
    long need;
    long given;
    int attempts;
    String detail = "";

    Entry(String fp, Kind kind, long need) {
      this.fp = fp;
      this.kind = kind;
      this.need = need;
    }
  }

  /** A measurement in flight; it may outlive the period it was started in. */
  private record Running(long period, Map<String, Long> taken, long given) {}

  private final ScheduleSettings settings;
  private final SlotClock clock;
  private final Random random;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, Running> running = new HashMap<>();
  private final Map<String, Long> busy = new HashMap<>();
  private long period = Long.MIN_VALUE;
  private int nextDue;
  private SlotBook book = new SlotBook(0, 1);

  public Planner(ScheduleSettings settings, Random random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = settings.clock();
    this.random = Objects.requireNonNull(random, "random");
  }

  public SlotClock clock() {
    return clock;
  }

  /** Whether the plan is for {@code now}'s period; if not, call {@link #newPeriod} first. */
  public boolean isCurrent(Instant now) {
    return clock.periodIndex(now) == period;
  }

  // ---- planning ---------------------------------------------------------------------------

  /**
   * Makes the schedule of {@code now}'s period, replacing any older one; only slots that have not
   * begun are used. Relays with an estimate are placed in descending order of it, each in a
   * uniformly random slot with room (the proposal's rule: large ones first, so that they still find
   * room). Relays without one are shuffled and placed in the first slot with room: they have no
   * result at all, so sooner is better.
   *
   * @param measurers the measurers to plan with: those connected, or the configured ones when none
   *     has connected yet
   */
  public PlanSummary newPeriod(
      Instant now, Collection<Relay> relays, Collection<String> measurers) {
    long capacity = settings.capacities().total(Set.copyOf(measurers));
    period = clock.periodIndex(now);
    nextDue = clock.firstUsableSlot(now);
    book = new SlotBook(clock.slotsInPeriod(), Math.max(1, capacity));
    entries.clear();
    Priors priors = priors(relays);
    List<Relay> known = new ArrayList<>();
    List<Relay> unknown = new ArrayList<>();
    for (Relay r : relays) {
      (r.estimate().isPresent() ? known : unknown).add(r);
    }
    known.sort(
        Comparator.comparingDouble((Relay r) -> r.estimate().getAsDouble())
            .reversed()
            .thenComparing(Relay::fp));
    unknown.sort(Comparator.comparing(Relay::fp));
    Collections.shuffle(unknown, random);
    Map<String, String> unplaced = new LinkedHashMap<>();
    List<String> oversized = new ArrayList<>();
    int randomCount = 0;
    int firstFit = 0;
    for (Relay r : known) {
      randomCount += place(r, Kind.SCHEDULED, nextDue, priors, unplaced, oversized) ? 1 : 0;
    }
    for (Relay r : unknown) {
      firstFit += place(r, Kind.NEW, nextDue, priors, unplaced, oversized) ? 1 : 0;
    }
    PlanSummary summary =
        new PlanSummary(
            period,
            nextDue,
            book.slots(),
            capacity,
            randomCount,
            firstFit,
            Collections.unmodifiableMap(unplaced),
            List.copyOf(oversized),
            priors.percentile75());
    LOG.info(
        "schedule for period {}: {} relays in random slots, {} new ones first, {} unplaced, {}"
            + " larger than all measurers; slots {}..{} of {} s, {} bytes/s of measurers",
        period,
        randomCount,
        firstFit,
        unplaced.size(),
        oversized.size(),
        nextDue,
        book.slots() - 1,
        clock.slot().toSeconds(),
        capacity);
    return summary;
  }

  private Priors priors(Collection<Relay> relays) {
    List<Double> estimates = new ArrayList<>();
    List<Long> advertised = new ArrayList<>();
    for (Relay r : relays) {
      r.estimate().ifPresent(estimates::add);
      r.advertised().ifPresent(advertised::add);
    }
    return Priors.of(settings.prior(), estimates, advertised);
  }

  private boolean place(
      Relay r,
      Kind kind,
      int from,
      Priors priors,
      Map<String, String> unplaced,
      List<String> oversized) {
    if (entries.containsKey(r.fp())) {
      return false;
    }
    double want = settings.multiplier() * priors.expected(r.estimate(), r.advertised());
    long need = (long) Math.min(book.capacity(), Math.max(1, Math.ceil(want)));
    if (want > book.capacity()) {
      oversized.add(r.fp());
      LOG.warn(
          "relay {} needs {} bytes/s of measurer capacity, more than all {} together: measuring it"
              + " with all of them",
          r.fp(),
          (long) want,
          book.capacity());
    }
    Entry e = new Entry(r.fp(), kind, need);
    entries.put(r.fp(), e);
    // First attempts keep off the period's last slots, which are left for retries; only when the
    // rest is full do they go there too (docs/schedule.md, "Retry reserve").
    int reserveStart = book.slots() - retryReserve();
    OptionalInt slot = choose(kind, need, from, reserveStart);
    if (slot.isEmpty()) {
      slot = choose(kind, need, Math.max(from, reserveStart), book.slots());
    }
    if (slot.isEmpty()) {
      e.state = State.UNPLACED;
      e.detail = "no slot left in the period with " + need + " bytes/s of free measurer capacity";
      unplaced.put(r.fp(), e.detail);
      return false;
    }
    e.slot = slot.getAsInt();
    book.reserve(e.slot, e.fp, need);
    return true;
  }

  private OptionalInt choose(Kind kind, long need, int from, int to) {
    return kind == Kind.SCHEDULED
        ? book.randomSlot(need, from, to, random)
        : book.firstSlot(need, from, to);
  }

  /**
   * How many slots at the end of the period first attempts keep off: one fewer than the attempts a
   * relay has, so that a relay whose first attempt is in the last slot before them can still use
   * all its retries, and a failure late in the period is not the end of the relay's period.
   */
  int retryReserve() {
    return Math.max(0, Math.min(settings.maxAttempts() - 1, book.slots() / 10));
  }

  /**
   * A new consensus: relays not in the plan yet are placed in the first slot with room (the
   * proposal's rule for relays that appear mid-period); planned relays that left are dropped ("if a
   * relay is not online when it's scheduled to be measured, it doesn't get measured that day"),
   * which frees their room.
   *
   * @return the newly placed relays and their slots
   */
  public Map<String, Integer> consensusChanged(Instant now, Collection<Relay> relays) {
    requireCurrent(now);
    Set<String> present = new LinkedHashSet<>();
    List<Relay> fresh = new ArrayList<>();
    for (Relay r : relays) {
      present.add(r.fp());
      if (!entries.containsKey(r.fp())) {
        fresh.add(r);
      }
    }
    for (Entry e : entries.values()) {
      if (e.state == State.PLANNED && !present.contains(e.fp)) {
        book.release(e.slot, e.fp, e.need);
        e.state = State.DROPPED;
        e.detail = "left the consensus";
      }
    }
    fresh.sort(Comparator.comparing(Relay::fp));
    Collections.shuffle(fresh, random);
    int from = Math.max(nextDue, clock.firstUsableSlot(now));
    Priors priors = priors(relays);
    Map<String, Integer> placed = new LinkedHashMap<>();
    for (Relay r : fresh) {
      if (place(r, Kind.NEW, from, priors, new HashMap<>(), new ArrayList<>())) {
        placed.put(r.fp(), entries.get(r.fp()).slot);
      }
    }
    return placed;
  }

  // ---- starting ---------------------------------------------------------------------------

  /**
   * The measurements to start at {@code now}: those planned in every slot up to {@code now}'s that
   * were not handed out yet (a late timer catches up). Each gets measurers from the capacity of
   * {@code connected} that running measurements leave free; one that does not fit is moved to the
   * first later slot with room, counting as a failed attempt.
   */
  public Due due(Instant now, Collection<String> connected) {
    requireCurrent(now);
    int current = clock.currentSlot(now);
    int last = current < 0 ? book.slots() - 1 : current;
    List<Start> starts = new ArrayList<>();
    Map<String, String> deferred = new LinkedHashMap<>();
    Map<String, Long> free = new HashMap<>();
    for (String name : Set.copyOf(connected)) {
      free.put(name, settings.capacities().of(name) - busy.getOrDefault(name, 0L));
    }
    for (int slot = Math.max(0, nextDue); slot <= last; slot++) {
      for (String fp : List.copyOf(book.planned(slot))) {
        Entry e = entries.get(fp);
        book.release(slot, fp, e.need);
        Optional<Assigner.Allocation> a = allocate(e, free);
        if (a.isPresent()) {
          starts.add(start(e, a.get(), free, slot));
        } else {
          String why = shortage(e, free);
          deferred.put(fp, why);
          retryLater(e, Math.max(last + 1, slot + 1), why);
        }
      }
    }
    nextDue = Math.max(nextDue, last + 1);
    return new Due(starts, deferred);
  }

  private Optional<Assigner.Allocation> allocate(Entry e, Map<String, Long> free) {
    if (running.containsKey(e.fp)) {
      return Optional.empty();
    }
    Optional<Assigner.Allocation> a = Assigner.assign(e.fp, e.need, free, settings.numCircs());
    if (a.isPresent() || free.isEmpty()) {
      return a;
    }
    // Larger than every connected measurer together: measure with all of them, if all are idle.
    long total = settings.capacities().total(free.keySet());
    boolean idle =
        free.entrySet().stream()
            .allMatch(f -> f.getValue() == settings.capacities().of(f.getKey()));
    if (e.need >= total && idle) {
      Map<String, Long> all = new java.util.TreeMap<>(free);
      LOG.info(
          "measuring relay {} with all {} connected measurers ({} bytes/s)",
          e.fp,
          all.size(),
          total);
      return Optional.of(Assigner.allocation(e.fp, all, settings.numCircs()));
    }
    return Optional.empty();
  }

  private String shortage(Entry e, Map<String, Long> free) {
    if (running.containsKey(e.fp)) {
      return "still being measured";
    }
    if (free.isEmpty()) {
      return "no measurer connected";
    }
    long sum = free.values().stream().mapToLong(v -> Math.max(0, v)).sum();
    return "needs "
        + e.need
        + " bytes/s of measurer capacity, "
        + sum
        + " free among "
        + free.size()
        + " connected measurer(s)";
  }

  private Start start(Entry e, Assigner.Allocation a, Map<String, Long> free, int slot) {
    for (Map.Entry<String, Long> t : a.taken().entrySet()) {
      free.merge(t.getKey(), -t.getValue(), Long::sum);
      busy.merge(t.getKey(), t.getValue(), Long::sum);
    }
    running.put(e.fp, new Running(period, a.taken(), a.given()));
    e.state = State.RUNNING;
    e.given = a.given();
    return new Start(a.request(), a.given(), e.kind, slot);
  }

  // ---- ending -----------------------------------------------------------------------------

  /**
   * A measurement started by {@link #due} ended. A completed one whose measurement traffic reached
   * {@code limitFraction} of the capacity given is measurer-limited: its result is a lower bound,
   * so the relay is measured again in the first slot with room, with twice the capacity (at most
   * all measurers). A failed one is retried in a later slot, up to {@code maxAttempts} times.
   */
  public Followup ended(Instant now, String fp, Outcome outcome) {
    Running r = running.remove(fp);
    if (r == null) {
      throw new IllegalArgumentException("relay " + fp + " was not started by the schedule");
    }
    for (Map.Entry<String, Long> t : r.taken().entrySet()) {
      busy.merge(t.getKey(), -t.getValue(), Long::sum);
      busy.remove(t.getKey(), 0L);
    }
    Entry e = entries.get(fp);
    // A clock stepped back into an earlier period still lets this period learn the outcome:
    // otherwise the relay would stay RUNNING, never retried, once the clock is back in the period.
    long nowPeriod = clock.periodIndex(now);
    if (r.period() != period || nowPeriod > period || e == null || e.state != State.RUNNING) {
      return new Followup(State.DONE, Optional.empty(), OptionalInt.empty(), "previous period");
    }
    int from = nowPeriod == period ? Math.max(nextDue, clock.firstUsableSlot(now)) : nextDue;
    if (outcome instanceof Outcome.Failed f) {
      retryLater(e, from, f.reason());
    } else if (outcome instanceof Outcome.Completed c) {
      boolean limited = MeasurerLimit.limited(c.measured(), r.given(), settings.limitFraction());
      if (!limited) {
        e.state = State.DONE;
        e.detail = "";
      } else if (!settings.remeasure()) {
        e.state = State.DONE;
        e.detail = "measurer-limited (no re-measurement)";
      } else if (r.given() >= book.capacity()) {
        e.state = State.LIMITED_AT_MAX;
        e.detail = "measurer-limited with all measurers";
      } else {
        e.need = Math.min(book.capacity(), Math.multiplyExact(r.given(), 2));
        e.kind = Kind.REMEASURE;
        placeFirst(e, from, "measurer-limited");
      }
    } else {
      throw new AssertionError("unknown outcome " + outcome);
    }
    return new Followup(
        e.state,
        e.state == State.PLANNED ? Optional.of(e.kind) : Optional.empty(),
        e.state == State.PLANNED ? OptionalInt.of(e.slot) : OptionalInt.empty(),
        e.detail);
  }

  /** The coordinator refused to start a measurement that {@link #due} handed out. */
  public Followup refused(Instant now, String fp, String reason) {
    return ended(now, fp, new Outcome.Failed("refused: " + reason));
  }

  private void retryLater(Entry e, int from, String why) {
    e.attempts++;
    if (e.attempts >= settings.maxAttempts()) {
      e.state = State.GAVE_UP;
      e.detail = "gave up after " + e.attempts + " attempts; last: " + why;
      return;
    }
    e.kind = Kind.RETRY;
    placeFirst(e, from, why);
  }

  private void placeFirst(Entry e, int from, String why) {
    OptionalInt slot = book.firstSlot(e.need, from);
    if (slot.isEmpty()) {
      e.state = State.GAVE_UP;
      e.detail = why + "; no later slot in the period has room";
      return;
    }
    e.state = State.PLANNED;
    e.slot = slot.getAsInt();
    e.detail = why;
    book.reserve(e.slot, e.fp, e.need);
  }

  private void requireCurrent(Instant now) {
    if (!isCurrent(now)) {
      throw new IllegalStateException(
          "no plan for period " + clock.periodIndex(now) + " (have " + period + ")");
    }
  }

  // ---- inspection and persistence --------------------------------------------------------

  /**
   * Whether {@link #due} started {@code fp} and has not heard how it ended: the measurement
   * observer forwards only such ends (a manual {@code measure} is none of the schedule's business).
   */
  public boolean isRunning(String fp) {
    return running.containsKey(fp);
  }

  /** How many relays are in each state (for status lines). */
  /**
   * Whether relays are due at {@code now}: a measurement of the schedule is running, or relays are
   * planned in a slot that has begun and were not handed out yet (for the stall alarm).
   */
  public boolean hasWork(Instant now) {
    if (!running.isEmpty()) {
      return true;
    }
    for (int slot = Math.max(0, nextDue); slot <= lastBegun(now); slot++) {
      if (!book.planned(slot).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Slots that have begun and whose measurements were not handed out yet. */
  public int slotsBehind(Instant now) {
    return Math.max(0, lastBegun(now) + 1 - Math.max(0, nextDue));
  }

  private int lastBegun(Instant now) {
    int current = clock.currentSlot(now);
    return current < 0 ? book.slots() - 1 : current;
  }

  public Map<State, Integer> counts() {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    for (Entry e : entries.values()) {
      counts.merge(e.state, 1, Integer::sum);
    }
    return counts;
  }

  /** One relay's entry in the current period, if it has one. */
  public Optional<ScheduleState.Entry> entry(String fp) {
    Entry e = entries.get(fp);
    return e == null ? Optional.empty() : Optional.of(export(e));
  }

  /** Measurer capacity (bytes/s) that running measurements hold, per measurer. */
  public Map<String, Long> busy() {
    return Map.copyOf(busy);
  }

  /** Measurer capacity (bytes/s) reserved in {@code slot} of the current period. */
  public long reserved(int slot) {
    return book.reserved(slot);
  }

  /** The total capacity the current period was planned with. */
  public long capacity() {
    return book.capacity();
  }

  public ScheduleState snapshot() {
    List<ScheduleState.Entry> list = new ArrayList<>();
    for (Entry e : entries.values()) {
      list.add(export(e));
    }
    return new ScheduleState(period, nextDue, book.capacity(), list);
  }

  private static ScheduleState.Entry export(Entry e) {
    return new ScheduleState.Entry(
        e.fp, e.state, e.kind, e.slot, e.need, e.given, e.attempts, e.detail);
  }

  /**
   * A planner that goes on from {@code state}. Relays that were running are planned again in the
   * first slot with room from {@code now} (their measurements died with the old process), without
   * counting an attempt. A state of an older period is ignored: call {@link #newPeriod}.
   *
   * @throws IllegalArgumentException the state does not fit these settings (a slot outside the
   *     period, more booked into a slot than it holds): the state file's content is wrong
   */
  public static Planner restore(
      ScheduleSettings settings, Random random, ScheduleState state, Instant now) {
    return restore(settings, random, state, now, Map.of());
  }

  /**
   * As {@link #restore(ScheduleSettings, Random, ScheduleState, Instant)}, except that a relay that
   * was running and has an outcome in {@code endedMeanwhile} (its record reached the results log
   * before the old process died) is taken as ended with it, as {@link #ended} would have: done,
   * measured again with more capacity, or retried with the attempt counted.
   */
  public static Planner restore(
      ScheduleSettings settings,
      Random random,
      ScheduleState state,
      Instant now,
      Map<String, Outcome> endedMeanwhile) {
    Planner p = new Planner(settings, random);
    if (state.period() != p.clock.periodIndex(now)) {
      return p;
    }
    p.period = state.period();
    p.book = new SlotBook(p.clock.slotsInPeriod(), state.capacity());
    p.nextDue = Math.max(state.nextDue(), p.clock.firstUsableSlot(now));
    List<Entry> again = new ArrayList<>();
    for (ScheduleState.Entry s : state.entries()) {
      Entry e = new Entry(s.fp(), s.kind(), s.need());
      e.state = s.state();
      e.slot = s.slot();
      e.given = s.given();
      e.attempts = s.attempts();
      e.detail = s.detail();
      p.entries.put(e.fp, e);
      if (e.state == State.RUNNING || (e.state == State.PLANNED && e.slot < p.nextDue)) {
        again.add(e);
      } else if (e.state == State.PLANNED) {
        if (e.slot < 0 || e.slot >= p.clock.slotsInPeriod()) {
          throw new IllegalArgumentException(
              e.fp + " is planned in slot " + e.slot + ", outside the period's slots");
        }
        try {
          p.book.reserve(e.slot, e.fp, e.need);
        } catch (IllegalStateException full) {
          throw new IllegalArgumentException(full.getMessage(), full);
        }
      }
    }
    for (Entry e : again) {
      Outcome o = e.state == State.RUNNING ? endedMeanwhile.get(e.fp) : null;
      if (o != null) {
        p.running.put(e.fp, new Running(p.period, Map.of(), e.given));
        p.ended(now, e.fp, o);
      } else {
        p.placeFirst(e, p.nextDue, "planned again after a restart");
      }
    }
    return p;
  }
}
