package org.flashflow.coord.schedule;

import static org.flashflow.coord.schedule.ScheduleFixtures.MB;
import static org.flashflow.coord.schedule.ScheduleFixtures.PERIOD;
import static org.flashflow.coord.schedule.ScheduleFixtures.SETTINGS;
import static org.flashflow.coord.schedule.ScheduleFixtures.SLOT;
import static org.flashflow.coord.schedule.ScheduleFixtures.T0;
import static org.flashflow.coord.schedule.ScheduleFixtures.fingerprints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.schedule.ScheduleFixtures.FakeCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule runner with virtual time, a fake core (measurements take 20 s and complete well
 * below the capacity given) and the real state file: whole periods, restarts from the state file, a
 * corrupt state file.
 */
class ScheduleRunnerTest {
  @TempDir Path dir;

  private static final List<String> FPS = fingerprints(10);

  private static List<Planner.Relay> relays() {
    return ScheduleFixtures.relays(FPS);
  }

  private Path stateFile() {
    return dir.resolve("state.json");
  }

  private StateFile store(ManualLoop loop) {
    return new StateFile(stateFile(), PERIOD, SLOT, Clock.fixed(loop.now(), ZoneOffset.UTC));
  }

  private ScheduleRunner runner(ManualLoop loop, FakeCore core, long seed) {
    ScheduleRunner r =
        new ScheduleRunner(
            loop,
            SETTINGS,
            core,
            done -> done.accept(Optional.of(relays())),
            store(loop),
            Runnable::run,
            new Random(seed),
            Duration.ofMinutes(5));
    core.runner = r;
    return r;
  }

  /** A runner over a consensus the test changes, read synchronously; counts the reads. */
  private static final class Consensus implements ScheduleRunner.RelaySource {
    final List<Planner.Relay> relays = new ArrayList<>();
    int reads;

    Consensus(List<String> fps) {
      fps.forEach(this::add);
    }

    void add(String fp) {
      relays.add(new Planner.Relay(fp, OptionalDouble.empty(), OptionalLong.of(MB)));
    }

    @Override
    public void relays(Consumer<Optional<List<Planner.Relay>>> done) {
      reads++;
      done.accept(Optional.of(List.copyOf(relays)));
    }
  }

  private ScheduleRunner runner(ManualLoop loop, FakeCore core, ScheduleRunner.RelaySource src) {
    ScheduleRunner r =
        new ScheduleRunner(
            loop,
            SETTINGS,
            core,
            src,
            store(loop),
            Runnable::run,
            new Random(11),
            Duration.ofMinutes(5));
    core.runner = r;
    return r;
  }

  private static final String NEW_FP = "BEEF".repeat(10);

  /**
   * Three relays planned at 00:00:30 for slots 1 and 2 (two per slot), so slot 2 has room for one
   * more. At 00:00:40 a fourth relay enters the consensus.
   */
  private ScheduleRunner relayAppearsAt40s(ManualLoop loop, FakeCore core, Consensus consensus) {
    ScheduleRunner r = runner(loop, core, consensus);
    r.start();
    loop.runPending();
    r.consensusChanged(); // no schedule yet: nothing to refresh, the first slot makes it
    assertEquals(0, consensus.reads);
    loop.advance(Duration.ofSeconds(35)); // 00:00:40
    assertEquals(1, consensus.reads, "the schedule made at 00:00:30");
    assertEquals(2, core.started.size(), core.started.toString());
    consensus.add(NEW_FP);
    return r;
  }

  @Test
  void aRelayAnnouncedByNewConsensusIsMeasuredInTheFirstSlotWithRoom() {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    Consensus consensus = new Consensus(FPS.subList(0, 3));
    ScheduleRunner r = relayAppearsAt40s(loop, core, consensus);

    r.consensusChanged(); // tor's NEWCONSENSUS event, posted to the loop
    assertEquals(2, consensus.reads, "read at once");
    assertEquals(2, r.planner().orElseThrow().entry(NEW_FP).orElseThrow().slot());

    loop.advance(Duration.ofSeconds(25)); // 00:01:05
    assertEquals(T0.plusSeconds(55), core.startedAt.get(NEW_FP), "slot 2, at 00:01:00");
    assertEquals(4, core.started.size(), "the third relay shares slot 2: " + core.started);
  }

  @Test
  void withoutTheEventANewRelayWaitsForThePoll() {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    Consensus consensus = new Consensus(FPS.subList(0, 3));
    relayAppearsAt40s(loop, core, consensus);

    // The poll (5 min = 10 slots) reads the consensus at the 10th slot start after the schedule was
    // made, 00:05:30, before handing out that slot: the relay is measured in slot 11, 4.5 minutes
    // after slot 2 had room for it.
    loop.advance(Duration.ofSeconds(285)); // 00:05:25
    assertFalse(core.started.contains(NEW_FP), core.started.toString());
    assertEquals(1, consensus.reads);
    loop.advance(Duration.ofSeconds(10)); // 00:05:35
    assertEquals(2, consensus.reads);
    assertEquals(T0.plusSeconds(325), core.startedAt.get(NEW_FP), "slot 11, at 00:05:30");
  }

  @Test
  void anAnnouncementDuringARead() {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    List<Consumer<Optional<List<Planner.Relay>>>> pending = new ArrayList<>();
    List<Planner.Relay> three = new Consensus(FPS.subList(0, 3)).relays;
    ScheduleRunner r = runner(loop, core, pending::add);
    r.start();
    loop.advance(Duration.ofSeconds(25)); // 00:00:30: the schedule's read starts
    assertEquals(1, pending.size());
    r.consensusChanged(); // may be newer than what that read gets
    assertEquals(1, pending.size(), "one read at a time");
    pending.get(0).accept(Optional.of(three));
    assertEquals(2, pending.size(), "read again once the first one is done");
    List<Planner.Relay> four = new ArrayList<>(three);
    four.add(new Planner.Relay(NEW_FP, OptionalDouble.empty(), OptionalLong.of(MB)));
    pending.get(1).accept(Optional.of(four));
    assertEquals(2, r.planner().orElseThrow().entry(NEW_FP).orElseThrow().slot());
    assertEquals(2, pending.size());
  }

  private static Instant periodEnd(Instant t) {
    long p = PERIOD.toSeconds();
    return Instant.ofEpochSecond((t.getEpochSecond() / p + 1) * p);
  }

  @Test
  void everyRelayIsMeasuredOncePerPeriod() throws IOException {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    ScheduleRunner r = runner(loop, core, 1);
    r.start();
    loop.runPending();
    assertTrue(r.statusLines().get(0).contains("not planned yet"), r.statusLines().toString());

    loop.advance(Duration.between(T0, periodEnd(T0)).minusSeconds(1));
    assertEquals(new TreeSet<>(FPS), new TreeSet<>(core.started), core.started.toString());
    assertEquals(FPS.size(), core.started.size(), "each relay once: " + core.started);
    assertEquals(FPS.size(), core.completed.size());
    // Two per slot, from slot 1 on (slot 0 had begun when the schedule was made).
    for (Instant at : core.startedAt.values()) {
      long into = at.getEpochSecond() % PERIOD.toSeconds();
      assertEquals(0, into % SLOT.toSeconds(), at.toString());
      assertTrue(into >= 30 && into <= 150, at.toString());
    }
    List<String> status = r.statusLines();
    assertTrue(status.get(0).contains("slots 20 done, 0 left"), status.toString());
    assertTrue(
        status.get(1).contains("10 measured, 0 failed, 0 pending (0 running)"), status.toString());
    assertTrue(Files.readString(stateFile()).contains("\"DONE\""));

    // The next period: a new schedule, and every relay once more.
    loop.advance(PERIOD);
    assertEquals(2 * FPS.size(), core.started.size(), core.started.toString());
    for (String fp : FPS) {
      assertEquals(2, core.started.stream().filter(fp::equals).count(), fp);
    }
  }

  @Test
  void refusedMeasurementIsRetriedInALaterSlot() {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    core.refuseOnce.addAll(FPS.subList(0, 3));
    ScheduleRunner r = runner(loop, core, 2);
    r.start();
    loop.advance(Duration.between(T0, periodEnd(T0)).minusSeconds(1));
    assertEquals(new TreeSet<>(FPS), new TreeSet<>(core.completed));
    assertEquals(FPS.size(), core.started.size(), core.started.toString());
    assertTrue(
        r.statusLines().get(1).contains("10 measured, 0 failed"), r.statusLines().toString());
    Planner p = r.planner().orElseThrow();
    for (String fp : FPS.subList(0, 3)) {
      assertEquals(1, p.entry(fp).orElseThrow().attempts(), fp);
    }
  }

  @Test
  void restartFromTheStateFileRepeatsNothingAndKeepsThePlan() throws IOException {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    ScheduleRunner r = runner(loop, core, 3);
    r.start();
    // Slots 1..3 handed out (6 relays); slot 3's two are running; then kill -9: nothing more.
    loop.advance(Duration.ofSeconds(95));
    assertEquals(6, core.started.size(), core.started.toString());
    assertEquals(4, core.completed.size(), core.completed.toString());
    ScheduleState saved = r.planner().orElseThrow().snapshot();
    Map<String, Integer> plannedSlots = new HashMap<>();
    for (ScheduleState.Entry e : saved.entries()) {
      if (e.state() == Planner.State.PLANNED) {
        plannedSlots.put(e.fp(), e.slot());
      }
    }
    assertEquals(4, plannedSlots.size(), saved.toString());

    // A new process: new loop at the same time, new core, the same state file.
    ManualLoop loop2 = new ManualLoop(loop.now());
    FakeCore core2 = new FakeCore(loop2);
    ScheduleRunner r2 = runner(loop2, core2, 4);
    r2.start();
    loop2.runPending();
    Planner restored = r2.planner().orElseThrow();
    plannedSlots.forEach(
        (fp, slot) -> assertEquals(slot, restored.entry(fp).orElseThrow().slot(), "slot of " + fp));
    assertTrue(
        r2.statusLines().get(1).contains("4 measured, 0 failed, 6 pending"),
        r2.statusLines().toString());

    loop2.advance(Duration.between(loop2.now(), periodEnd(T0)).minusSeconds(1));
    Set<String> again = new HashSet<>(core2.started);
    again.retainAll(core.completed);
    assertTrue(again.isEmpty(), "finished measurements repeated: " + again);
    Set<String> all = new TreeSet<>(core.completed);
    all.addAll(core2.completed);
    assertEquals(new TreeSet<>(FPS), all);
    assertEquals(6, core2.started.size(), "the 4 planned and the 2 that died: " + core2.started);
    assertTrue(r2.statusLines().get(1).contains("10 measured"), r2.statusLines().toString());
  }

  @Test
  void aMeasurementWhoseRecordLandedBeforeTheKillIsNotMeasuredAgain() throws IOException {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    ScheduleRunner r = runner(loop, core, 3);
    r.start();
    loop.advance(Duration.ofSeconds(95)); // slots 1..3 handed out; slot 3's two are running
    List<String> running = new ArrayList<>(core.started);
    running.removeAll(core.completed);
    assertEquals(2, running.size(), running.toString());
    String done = running.get(0);
    String failed = running.get(1);
    // The old process made both records durable, then died before it saved the state file again;
    // an older record of the first relay (before its slot) must not count.
    long begin = core.startedAt.get(done).getEpochSecond();
    Path log = dir.resolve("results.log");
    Files.writeString(
        log,
        String.join(
            "\n",
            "7 " + (begin - 40) + " BEGIN " + failed,
            "7 " + (begin - 40) + " MEASR 1000",
            "7 " + (begin - 39) + " END",
            "8 " + begin + " BEGIN " + done,
            "8 " + begin + " MEASR 500000",
            "8 " + begin + " MEASR 500000",
            "8 " + begin + " BG 0 0",
            "8 " + (begin + 20) + " END",
            "9 " + begin + " BEGIN " + failed,
            "9 " + (begin + 3) + " FAIL MEASURER_LOST alice went away",
            ""),
        StandardCharsets.UTF_8);

    ManualLoop loop2 = new ManualLoop(loop.now());
    FakeCore core2 = new FakeCore(loop2);
    ScheduleRunner r2 =
        new ScheduleRunner(
            loop2,
            SETTINGS,
            core2,
            done2 -> done2.accept(Optional.of(relays())),
            store(loop2),
            Runnable::run,
            new Random(4),
            Duration.ofMinutes(5),
            ScheduleRunner.DEFAULT_STALL_AFTER,
            CoordMetrics.NONE,
            new ResultsLogOutcomes(log));
    core2.runner = r2;
    r2.start();
    loop2.runPending();
    Planner p = r2.planner().orElseThrow();
    assertEquals(Planner.State.DONE, p.entry(done).orElseThrow().state(), "completed in the log");
    ScheduleState.Entry retry = p.entry(failed).orElseThrow();
    assertEquals(Planner.State.PLANNED, retry.state(), retry.toString());
    assertEquals(1, retry.attempts(), "the logged failure counts as an attempt: " + retry);

    loop2.advance(Duration.between(loop2.now(), periodEnd(T0)).minusSeconds(1));
    assertFalse(core2.started.contains(done), "measured twice in the period: " + core2.started);
    assertTrue(core2.started.contains(failed), "the failed one is retried: " + core2.started);
    assertTrue(r2.statusLines().get(1).contains("10 measured"), r2.statusLines().toString());
  }

  @Test
  void gracefulStopSavesRunningMeasurementsAsRunning() {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    ScheduleRunner r = runner(loop, core, 5);
    r.start();
    loop.advance(Duration.ofSeconds(35));
    assertEquals(2, core.started.size());
    r.stop();
    loop.advance(Duration.ofSeconds(60)); // the core fails them; the stopped runner ignores it
    assertEquals(2, core.started.size(), "no start after stop");

    ManualLoop loop2 = new ManualLoop(loop.now());
    FakeCore core2 = new FakeCore(loop2);
    ScheduleRunner r2 = runner(loop2, core2, 6);
    r2.start();
    loop2.runPending();
    Planner p = r2.planner().orElseThrow();
    for (String fp : core.started) {
      var e = p.entry(fp).orElseThrow();
      assertEquals(Planner.State.PLANNED, e.state(), e.toString());
      assertEquals(0, e.attempts(), "a restart counts no attempt: " + e);
    }
  }

  @Test
  void corruptStateFileIsMovedAsideAndAFreshScheduleMade() throws IOException {
    Files.writeString(stateFile(), "{\"version\": 1, \"schedule\": [", StandardCharsets.UTF_8);
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    ScheduleRunner r = runner(loop, core, 7);
    r.start();
    loop.runPending();
    List<Path> aside;
    try (Stream<Path> s = Files.list(dir)) {
      aside = s.filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-")).toList();
    }
    assertEquals(1, aside.size(), "moved aside");
    assertTrue(Files.readString(aside.get(0)).startsWith("{\"version\": 1"));
    assertFalse(Files.exists(stateFile()));
    assertTrue(r.planner().isEmpty());

    loop.advance(Duration.ofSeconds(30));
    assertEquals(2, core.started.size(), "a fresh schedule started at the next slot");
    String saved = Files.readString(stateFile());
    assertTrue(saved.contains("\"RUNNING\""), saved);
  }

  @Test
  void stateOfAnotherPeriodOrOtherSlotLengthIsNotResumed() throws IOException {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    ScheduleRunner r = runner(loop, core, 8);
    r.start();
    loop.advance(Duration.ofSeconds(40));
    assertTrue(Files.exists(stateFile()));

    ManualLoop later = new ManualLoop(T0.plus(PERIOD));
    FakeCore core2 = new FakeCore(later);
    ScheduleRunner r2 = runner(later, core2, 9);
    r2.start();
    later.runPending();
    assertTrue(r2.planner().isEmpty(), "an older period's schedule is not resumed");

    StateFile otherSlot =
        new StateFile(stateFile(), PERIOD, Duration.ofSeconds(60), Clock.systemUTC());
    assertTrue(otherSlot.load().isEmpty());
    assertTrue(Files.exists(stateFile()), "not corrupt, so not moved aside");
  }

  @Test
  void aStateFileThatCannotBeReadIsNotMovedAside() throws IOException {
    Files.createDirectory(stateFile()); // reading it fails with an I/O error, not a format error
    StateFile store = new StateFile(stateFile(), PERIOD, SLOT, Clock.systemUTC());
    assertTrue(store.load().isEmpty(), "a new schedule");
    assertTrue(Files.isDirectory(stateFile()), "left where it is");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          List.of(),
          s.filter(p -> p.getFileName().toString().contains("corrupt")).toList(),
          "nothing moved aside");
    }
  }

  /**
   * The state file on a full disk (docs/testing.md, "Disk full"): every save fails, the schedule
   * goes on measuring, the ERROR is logged at most once a minute, and the state is saved by itself
   * at the next slot once there is space again.
   */
  @Test
  void aStateFileThatCannotBeSavedLogsOnceAMinuteAndIsSavedOnceThereIsSpace() throws Exception {
    ManualLoop loop = new ManualLoop(T0);
    FakeCore core = new FakeCore(loop);
    StateFile file = store(loop);
    boolean[] full = {true};
    int[] attempts = {0};
    ScheduleRunner.StateStore disk =
        new ScheduleRunner.StateStore() {
          @Override
          public Optional<ScheduleState> load() {
            return file.load();
          }

          @Override
          public void save(ScheduleState state) throws IOException {
            attempts[0]++;
            if (full[0]) {
              throw new IOException("No space left on device");
            }
            file.save(state);
          }

          @Override
          public void moveAside(String why) {
            file.moveAside(why);
          }
        };
    ScheduleRunner r =
        new ScheduleRunner(
            loop,
            SETTINGS,
            core,
            done -> done.accept(Optional.of(relays())),
            disk,
            Runnable::run,
            new Random(3),
            Duration.ofMinutes(5));
    core.runner = r;
    r.start();
    loop.runPending();
    loop.advance(Duration.ofSeconds(180)); // 00:03:05: six slots, the first at 00:00:30
    assertTrue(attempts[0] >= 10, "saves tried: " + attempts[0]);
    assertTrue(r.saveFailing());
    assertEquals(3, r.saveErrorsLogged(), "ERRORs at 00:00:30, 00:01:30 and 00:02:30");
    assertFalse(core.completed.isEmpty(), "the schedule went on measuring");
    assertFalse(Files.exists(stateFile()));

    full[0] = false;
    loop.advance(Duration.ofSeconds(30)); // the next slot saves
    assertFalse(r.saveFailing());
    ScheduleState saved = file.load().orElseThrow();
    assertEquals(r.planner().orElseThrow().snapshot(), saved);
    assertEquals(3, r.saveErrorsLogged());
  }
}
