package org.flashflow.coord.schedule;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.flashflow.common.io.RepeatedFailure;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementObserver;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.StartCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Planner} in the coordinator (docs/schedule.md, "Running"): a loop timer fires at
 * every slot start, recomputed from the clock each time so that late wake-ups and clock steps do no
 * harm; at a period start it makes the period's schedule from the filtered consensus and the latest
 * estimates, then starts the slot's measurements. Within the period it reads the consensus again
 * when tor announces a new one ({@link #consensusChanged}) and, as a fallback, every {@code
 * [schedule] consensus_poll}. Every change that matters (a slot handed out, a measurement ended) is
 * saved to the state file off the loop, and {@link #start} resumes from it.
 *
 * <p>Owned by the loop: every method runs there; file work goes to {@code io} and posts back.
 */
public final class ScheduleRunner implements MeasurementObserver {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);

  /** A state file that cannot be saved (full disk) logs its ERROR at most this often. */
  static final Duration SAVE_ERROR_EVERY = Duration.ofMinutes(1);

  /** The part of the coordinator core the schedule uses ({@code Coordinator} in production). */
  public interface Core {
    void startMeasurement(MeasurementRequest request, StartCallback callback);

    /** Names of the measurers connected now. */
    Set<String> connectedMeasurers();

    /** Why tor cannot measure now; empty when it can (for the stall alarm). */
    default Optional<String> torProblem() {
      return Optional.empty();
    }
  }

  /** {@code [schedule] stall_after} when none is given (docs/operations.md, "Stall alarm"). */
  public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(10);

  /**
   * The relays to schedule: the consensus, filtered, with each relay's latest estimate. Called on
   * the loop; {@code done} runs on the loop, with empty (and a WARN logged) when there is no
   * consensus to use yet.
   */
  @FunctionalInterface
  public interface RelaySource {
    void relays(Consumer<Optional<List<Planner.Relay>>> done);
  }

  /** Where the schedule survives restarts. Blocking: called on the I/O executor only. */
  public interface StateStore {
    /** The saved state; empty if none, or if it was unusable (then moved aside, with an ERROR). */
    Optional<ScheduleState> load();

    void save(ScheduleState state) throws IOException;

    /** The saved state cannot be used ({@code why}): move it aside with an ERROR. */
    void moveAside(String why);
  }

  private final Loop loop;
  private final ScheduleSettings settings;
  private final SlotClock clock;
  private final Core core;
  private final RelaySource relays;
  private final StateStore store;
  private final Executor io;
  private final Random random;
  private final int refreshSlots;
  private final Set<String> warnedUnconfigured = new TreeSet<>();
  private final CoordMetrics metrics;
  private final LoggedOutcomes logged;
  private final StallAlarm stall;
  private long unplannedPeriod = Long.MIN_VALUE;
  private int unplannedSlots;
  private Planner planner;
  private Cancellable timer;
  private Instant nextTick;
  private boolean started;
  private boolean stopped;
  private boolean fetching;
  private boolean fetchAgain;
  private int slotsSinceRefresh;
  private boolean saving;
  private boolean dirty;
  private final RepeatedFailure saveFailure =
      new RepeatedFailure(log, "saving the schedule state", SAVE_ERROR_EVERY);

  /**
   * The newest period a schedule was made for (or found in the state file): a wall clock stepped
   * back into an earlier period never gets that period a schedule again; the runner waits.
   */
  private long newestPeriod = Long.MIN_VALUE;

  /** The period the clock was last seen stepped back into, so that it is logged once. */
  private long warnedBackIn = Long.MIN_VALUE;

  /**
   * @param refreshEvery how often, within a period, the consensus is read again to add relays that
   *     appeared and drop those that left, when tor announced no new consensus meanwhile (counted
   *     in whole slots, at least one)
   */
  public ScheduleRunner(
      Loop loop,
      ScheduleSettings settings,
      Core core,
      RelaySource relays,
      StateStore store,
      Executor io,
      Random random,
      Duration refreshEvery) {
    this(
        loop,
        settings,
        core,
        relays,
        store,
        io,
        random,
        refreshEvery,
        DEFAULT_STALL_AFTER,
        CoordMetrics.NONE,
        LoggedOutcomes.NONE);
  }

  /**
   * As above, with the stall alarm's {@code stallAfter}, the metrics the progress and the alarm go
   * to, and where to look up measurements that the state file holds as running: those that ended
   * before a restart are taken as ended, not measured again.
   */
  public ScheduleRunner(
      Loop loop,
      ScheduleSettings settings,
      Core core,
      RelaySource relays,
      StateStore store,
      Executor io,
      Random random,
      Duration refreshEvery,
      Duration stallAfter,
      CoordMetrics metrics,
      LoggedOutcomes logged) {
    this.logged = Objects.requireNonNull(logged, "logged");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.stall = new StallAlarm(stallAfter, metrics);
    this.loop = Objects.requireNonNull(loop, "loop");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = settings.clock();
    this.core = Objects.requireNonNull(core, "core");
    this.relays = Objects.requireNonNull(relays, "relays");
    this.store = Objects.requireNonNull(store, "store");
    this.io = Objects.requireNonNull(io, "io");
    this.random = Objects.requireNonNull(random, "random");
    long slotNanos = clock.slot().toNanos();
    this.refreshSlots =
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, refreshEvery.toNanos() / slotNanos));
  }

  /**
   * Reads the state file (off the loop), resumes its period if it is the current one, arms the
   * timer.
   */
  public void start() {
    loop.checkInLoop();
    if (started) {
      return;
    }
    started = true;
    try {
      io.execute(
          () -> {
            Optional<ScheduleState> state;
            try {
              state = store.load();
            } catch (RuntimeException e) {
              log.error("reading the schedule state failed; starting a new schedule", e);
              state = Optional.empty();
            }
            Map<String, Outcome> endedMeanwhile = state.map(this::endedMeanwhile).orElse(Map.of());
            Optional<ScheduleState> loaded = state;
            loop.execute(() -> resume(loaded, endedMeanwhile));
          });
    } catch (RejectedExecutionException e) {
      log.debug("schedule not started: shutting down");
    }
  }

  /**
   * On the I/O executor: how the measurements that {@code state} holds as running ended, for those
   * whose record reached the results log before the old process died (docs/schedule.md,
   * "Restarts"). A running relay's measurement is the newest of the relay that began at or after
   * its slot's start: an earlier attempt in the period ended before the slot it is retried in.
   */
  private Map<String, Outcome> endedMeanwhile(ScheduleState state) {
    Map<String, Long> since = new LinkedHashMap<>();
    for (ScheduleState.Entry e : state.entries()) {
      if (e.state() == Planner.State.RUNNING && e.slot() >= 0 && e.slot() < clock.slotsInPeriod()) {
        since.put(e.fp(), clock.slotStart(state.period(), e.slot()).getEpochSecond());
      }
    }
    if (since.isEmpty()) {
      return Map.of();
    }
    Map<String, MeasurementRecord> found;
    try {
      found = logged.newestSince(since);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "cannot read the results log to see which of {} running measurements ended before the"
              + " restart; planning them all again: {}",
          since.size(),
          e.toString());
      return Map.of();
    }
    Map<String, Outcome> out = new LinkedHashMap<>();
    found.forEach(
        (fp, record) -> {
          OptionalDouble estimate =
              record.completed() && !record.seconds().isEmpty()
                  ? OptionalDouble.of(Estimate.estimate(record))
                  : OptionalDouble.empty();
          out.put(fp, Outcome.of(record, estimate));
        });
    return out;
  }

  private void resume(Optional<ScheduleState> state, Map<String, Outcome> endedMeanwhile) {
    if (stopped) {
      return;
    }
    Instant now = loop.now();
    if (state.isPresent()) {
      ScheduleState s = state.get();
      newestPeriod = Math.max(newestPeriod, s.period());
      try {
        Planner p = Planner.restore(settings, random, s, now, endedMeanwhile);
        if (p.isCurrent(now)) {
          planner = p;
          endedMeanwhile.forEach(
              (fp, o) ->
                  log.info(
                      "relay {}: its measurement ended before the restart ({}, results log);"
                          + " taken as ended rather than measured again",
                      fp,
                      o instanceof Outcome.Failed f ? "failed: " + f.reason() : "completed"));
          log.info(
              "resuming the schedule of period {} from the state file: {}",
              s.period(),
              countsText(p.counts()));
          saveSoon();
        } else {
          log.info(
              "the state file holds period {}, now is period {}: a new schedule at the next slot",
              s.period(),
              clock.periodIndex(now));
        }
      } catch (IllegalArgumentException e) {
        // Only a state whose content is wrong is moved aside; any other exception is a bug of
        // ours, and the file may be fine for a fixed version.
        String why = "does not fit the schedule settings (" + e.getMessage() + ")";
        ioQuietly(() -> store.moveAside(why));
      } catch (RuntimeException e) {
        log.error("bug: resuming the schedule from its state failed; starting a new schedule", e);
      }
    }
    arm(now);
  }

  /** No timer, no start, no save after this but one last save of the schedule as it stands. */
  public void stop() {
    loop.checkInLoop();
    if (stopped) {
      return;
    }
    stopped = true;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (planner != null) {
      // Measurements still running are saved as running: a restart plans them again without
      // counting an attempt. The I/O executor runs tasks in order, so this is the last save.
      ScheduleState last = planner.snapshot();
      ioQuietly(() -> saveQuietly(last));
    }
  }

  private void arm(Instant now) {
    if (stopped) {
      return;
    }
    nextTick = clock.nextSlotStart(now);
    timer = loop.schedule(Duration.between(now, nextTick), this::tick);
  }

  private void tick() {
    timer = null;
    if (stopped) {
      return;
    }
    Instant now = loop.now();
    if (clockBehind(now)) {
      arm(now);
      return;
    }
    boolean plan = planner == null || !planner.isCurrent(now);
    checkStall(now, plan);
    slotsSinceRefresh++;
    boolean refresh = !plan && slotsSinceRefresh >= refreshSlots;
    if ((plan || refresh) && !fetching) {
      fetch();
    } else if (!plan) {
      runDue();
    }
    arm(loop.now());
  }

  /**
   * tor has a new consensus (its NEWCONSENSUS event, or the control connection came back and one
   * may have been missed): read it now rather than at the next poll, so that a relay that appeared
   * gets the first slot with room that has not begun, and one that left is dropped. Without a
   * schedule for the current period it only makes sure a read under way is repeated: the next slot
   * makes the schedule from the newest consensus anyway.
   */
  public void consensusChanged() {
    loop.checkInLoop();
    if (stopped) {
      return;
    }
    if (fetching) {
      fetchAgain = true; // the read under way may have got the previous consensus
    } else if (planner != null && planner.isCurrent(loop.now())) {
      fetch();
    }
  }

  private void fetch() {
    fetching = true;
    relays.relays(
        list -> {
          fetching = false;
          relaysArrived(list);
          if (fetchAgain) {
            fetchAgain = false;
            consensusChanged();
          }
        });
  }

  private void relaysArrived(Optional<List<Planner.Relay>> list) {
    if (stopped) {
      return;
    }
    Instant now = loop.now();
    if (clockBehind(now)) {
      return;
    }
    if (planner == null || !planner.isCurrent(now)) {
      if (list.isEmpty()) {
        log.warn(
            "no schedule for period {} yet; trying again at the next slot", clock.periodIndex(now));
        return;
      }
      if (planner == null) {
        planner = new Planner(settings, random);
      }
      planner.newPeriod(now, list.get(), planMeasurers());
      newestPeriod = Math.max(newestPeriod, clock.periodIndex(now));
      slotsSinceRefresh = 0;
    } else if (list.isPresent()) {
      Map<String, Integer> added = planner.consensusChanged(now, list.get());
      slotsSinceRefresh = 0;
      if (!added.isEmpty()) {
        log.info(
            "{} relay(s) new in the consensus placed in the schedule: {}", added.size(), added);
      }
    }
    runDue();
  }

  /**
   * Whether the wall clock reads a period before the newest one scheduled (it was stepped back):
   * then nothing is planned or started until it reaches that period again, and one WARN says so.
   * Measurements under way end as usual; their outcomes still count for the newest period.
   */
  private boolean clockBehind(Instant now) {
    long current = clock.periodIndex(now);
    if (current >= newestPeriod) {
      return false;
    }
    if (warnedBackIn != current) {
      warnedBackIn = current;
      log.warn(
          "the clock reads {}, in period {}, before period {} that is already scheduled (was it"
              + " stepped back?): no measurements until {}",
          now,
          current,
          newestPeriod,
          clock.periodStart(newestPeriod));
    }
    return true;
  }

  /** The configured measurers, and the connected ones without an entry (default capacity). */
  private Set<String> planMeasurers() {
    Set<String> connected = core.connectedMeasurers();
    for (String name : settings.capacities().unconfigured(connected)) {
      if (warnedUnconfigured.add(name)) {
        log.warn(
            "measurer {} has no line in [measurers]: planning with the default capacity of {}"
                + " bytes/s",
            name,
            settings.capacities().defaultCapacity());
      }
    }
    Set<String> names = new TreeSet<>(settings.capacities().configured().keySet());
    names.addAll(connected);
    return names;
  }

  private void runDue() {
    Instant now = loop.now();
    Planner p = planner;
    Planner.Due due = p.due(now, core.connectedMeasurers());
    due.deferred()
        .forEach(
            (fp, why) -> {
              log.info("relay {} not measured in this slot: {}", fp, why);
              stall.deferred(why);
            });
    for (Start s : due.starts()) {
      String fp = s.relayFp();
      log.info(
          "slot {}: measuring relay {} ({}) with {} bytes/s from {}",
          s.slot(),
          fp,
          s.kind(),
          s.given(),
          names(s.request()));
      core.startMeasurement(
          s.request(),
          new StartCallback() {
            @Override
            public void started(long measId, String relayFp) {
              log.debug("scheduled measurement of {} started as meas_id {}", relayFp, measId);
            }

            @Override
            public void refused(String reason) {
              if (!stopped && planner == p && p.isRunning(fp)) {
                stall.refused(reason);
                Planner.Followup f = p.refused(loop.now(), fp, reason);
                log.info(
                    "scheduled measurement of {} refused ({}): {}", fp, reason, followupText(f));
                saveSoon();
              }
            }
          });
    }
    publishProgress(now);
    saveSoon();
  }

  @Override
  public void measurementEnded(MeasurementRecord record, OptionalDouble estimate) {
    loop.checkInLoop();
    String fp = record.relayFp();
    if (stopped || planner == null || !planner.isRunning(fp)) {
      return;
    }
    Instant now = loop.now();
    Planner.Followup f = planner.ended(now, fp, Outcome.of(record, estimate));
    log.info("scheduled measurement {} of {} ended: {}", record.measId(), fp, followupText(f));
    if (record.completed()) {
      stall.completed(now);
    } else {
      stall.failed(record.failure().orElseThrow().reason().name());
    }
    publishProgress(now);
    saveSoon();
  }

  private static String followupText(Planner.Followup f) {
    String next =
        f.slot().isPresent()
            ? " again in slot " + f.slot().getAsInt() + " (" + f.kind().orElseThrow() + ")"
            : "";
    return f.state() + next + (f.detail().isEmpty() ? "" : ": " + f.detail());
  }

  // ---- stall alarm and metrics ------------------------------------------------------------

  /** At a slot start, before its measurements are handed out. */
  private void checkStall(Instant now, boolean unplanned) {
    long period = clock.periodIndex(now);
    if (unplanned) {
      if (unplannedPeriod != period) {
        unplannedPeriod = period;
        unplannedSlots = 0;
      }
      unplannedSlots++;
    }
    boolean due = unplanned || planner.hasWork(now);
    stall.check(
        now,
        period,
        due,
        new StallAlarm.Context(core.torProblem(), core.connectedMeasurers().size(), !unplanned));
    publishProgress(now);
  }

  /** Relays by state and slots behind, to the metrics: O(relays), a few times a slot at most. */
  private void publishProgress(Instant now) {
    if (metrics == CoordMetrics.NONE) {
      return;
    }
    if (planner == null || !planner.isCurrent(now)) {
      metrics.scheduleProgress(0, 0, 0, unplannedSlots(now));
      return;
    }
    Map<Planner.State, Integer> c = planner.counts();
    metrics.scheduleProgress(
        get(c, Planner.State.DONE) + get(c, Planner.State.LIMITED_AT_MAX),
        get(c, Planner.State.PLANNED) + get(c, Planner.State.RUNNING),
        get(c, Planner.State.GAVE_UP),
        planner.slotsBehind(now));
  }

  /** The stall now, if any (docs/operations.md, "Stall alarm"). */
  public Optional<Stall> stall() {
    loop.checkInLoop();
    return stall.current();
  }

  /**
   * The schedule is stalled.
   *
   * @param reason the metric's label, e.g. {@code tor_down}
   * @param detail for people
   * @param since since when relays were due without a completed measurement
   */
  public record Stall(String reason, String detail, Instant since) {}

  // ---- state file -------------------------------------------------------------------------

  private void saveSoon() {
    if (stopped || planner == null) {
      return;
    }
    dirty = true;
    if (!saving) {
      flush();
    }
  }

  private void flush() {
    if (!dirty || stopped || planner == null) {
      return;
    }
    dirty = false;
    saving = true;
    ScheduleState state = planner.snapshot();
    boolean queued =
        ioQuietly(
            () -> {
              Exception failure = trySave(state);
              loop.execute(
                  () -> {
                    saving = false;
                    saved(failure);
                    flush();
                  });
            });
    if (!queued) {
      saving = false;
    }
  }

  /** On the loop: the ERROR of a failed save at most once a minute, an INFO once one works. */
  private void saved(Exception failure) {
    if (failure == null) {
      saveFailure.succeeded();
      return;
    }
    // Not retried at once (a full disk would spin): the next change saves the whole state.
    saveFailure.failed(loop.nanoTime(), failure.toString());
  }

  /** For tests: whether the last save failed, and how many save ERRORs were logged. */
  boolean saveFailing() {
    return saveFailure.failing();
  }

  long saveErrorsLogged() {
    return saveFailure.errorsLogged();
  }

  /** The last save at {@link #stop}: its failure is logged at once, nothing follows it. */
  private void saveQuietly(ScheduleState state) {
    Exception e = trySave(state);
    if (e != null) {
      log.error("cannot save the schedule state: {}", e.toString());
    }
  }

  /** On the I/O thread; the failure, or null. */
  private Exception trySave(ScheduleState state) {
    try {
      store.save(state);
      return null;
    } catch (IOException | RuntimeException e) {
      log.debug("saving the schedule state failed", e);
      return e;
    }
  }

  private boolean ioQuietly(Runnable task) {
    try {
      io.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      log.debug("schedule state not saved: shutting down");
      return false;
    }
  }

  // ---- status -----------------------------------------------------------------------------

  /** Lines for {@code status}: period, slots done and left, relays by state, next slot. */
  public List<String> statusLines() {
    loop.checkInLoop();
    List<String> lines = new ArrayList<>();
    Instant now = loop.now();
    if (planner == null || !planner.isCurrent(now)) {
      lines.add(
          "schedule: period "
              + clock.periodIndex(now)
              + " not planned yet; next slot "
              + (nextTick == null ? "(starting)" : nextTick.toString()));
      stallLine().ifPresent(lines::add);
      return lines;
    }
    ScheduleState s = planner.snapshot();
    int total = clock.slotsInPeriod();
    lines.add(
        "schedule: period "
            + s.period()
            + " from "
            + clock.periodStart(s.period())
            + ", slots "
            + s.nextDue()
            + " done, "
            + (total - s.nextDue())
            + " left, next slot "
            + (nextTick == null ? "(stopped)" : nextTick.toString()));
    lines.add("schedule relays: " + countsText(planner.counts()));
    stallLine().ifPresent(lines::add);
    return lines;
  }

  private Optional<String> stallLine() {
    return stall
        .current()
        .map(
            st ->
                "schedule STALLED since "
                    + st.since()
                    + ": "
                    + st.detail()
                    + " ["
                    + st.reason()
                    + "]");
  }

  /**
   * The schedule for {@code status json} (docs/operations.md, "Status as JSON"): plain maps, lists,
   * strings, numbers, booleans and nulls, in the order written.
   */
  public Map<String, Object> statusJson() {
    loop.checkInLoop();
    Instant now = loop.now();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", true);
    boolean planned = planner != null && planner.isCurrent(now);
    ScheduleState snap = planned ? planner.snapshot() : null;
    long period = planned ? snap.period() : clock.periodIndex(now);
    m.put("period", period);
    m.put("period_start", clock.periodStart(period).toString());
    m.put("planned", planned);
    m.put("slots_in_period", clock.slotsInPeriod());
    m.put("slots_done", planned ? snap.nextDue() : null);
    m.put("slots_behind", planned ? planner.slotsBehind(now) : unplannedSlots(now));
    m.put("next_slot", nextTick == null ? null : nextTick.toString());
    Map<String, Object> relays = new LinkedHashMap<>();
    Map<Planner.State, Integer> c = planned ? planner.counts() : Map.of();
    relays.put("measured", get(c, Planner.State.DONE) + get(c, Planner.State.LIMITED_AT_MAX));
    relays.put("pending", get(c, Planner.State.PLANNED) + get(c, Planner.State.RUNNING));
    relays.put("running", get(c, Planner.State.RUNNING));
    relays.put("failed", get(c, Planner.State.GAVE_UP));
    relays.put("unplaced", get(c, Planner.State.UNPLACED));
    relays.put("dropped", get(c, Planner.State.DROPPED));
    m.put("relays", relays);
    Map<String, Object> st = new LinkedHashMap<>();
    Optional<Stall> current = stall.current();
    st.put("stalled", current.isPresent());
    st.put("reason", current.map(Stall::reason).orElse(null));
    st.put("detail", current.map(Stall::detail).orElse(null));
    st.put("since", current.map(x -> x.since().toString()).orElse(null));
    m.put("stall", st);
    return m;
  }

  private int unplannedSlots(Instant now) {
    return unplannedPeriod == clock.periodIndex(now) ? unplannedSlots : 0;
  }

  private static String countsText(Map<Planner.State, Integer> c) {
    int measured = get(c, Planner.State.DONE) + get(c, Planner.State.LIMITED_AT_MAX);
    int running = get(c, Planner.State.RUNNING);
    int pending = get(c, Planner.State.PLANNED) + running;
    return measured
        + " measured, "
        + get(c, Planner.State.GAVE_UP)
        + " failed, "
        + pending
        + " pending ("
        + running
        + " running), "
        + get(c, Planner.State.UNPLACED)
        + " unplaced, "
        + get(c, Planner.State.DROPPED)
        + " dropped";
  }

  private static int get(Map<Planner.State, Integer> c, Planner.State s) {
    return c.getOrDefault(s, 0);
  }

  /** For tests: the stall alarm. */
  StallAlarm stallAlarm() {
    return stall;
  }

  /** For tests: the planner, if a schedule was made or resumed. */
  Optional<Planner> planner() {
    return Optional.ofNullable(planner);
  }

  static Collection<String> names(MeasurementRequest r) {
    return r.assignments().stream().map(MeasurementRequest.Assignment::measurerName).toList();
  }
}
