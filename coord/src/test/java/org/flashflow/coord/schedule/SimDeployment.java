package org.flashflow.coord.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.core.CoordSettings;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.coord.core.ResultsSink;
import org.flashflow.coord.core.StartCallback;
import org.flashflow.coord.core.TorPort;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;

/**
 * The coordinator with its schedule, in one thread on a {@link ManualLoop}: the real {@link
 * Coordinator}, {@link ScheduleRunner}, {@link Planner} and {@link ConsensusRelays}, with a fake
 * tor and fake measurers that answer on their own, a few percent of the time with a failure of some
 * kind (measurer errors, relays refusing, tor commands failing, tor disconnecting, reports arriving
 * late). The results log and the state file are kept in memory. For the clock-step and soak tests:
 * it keeps count of what it saw per period without keeping every record, so its own memory stays
 * flat.
 */
final class SimDeployment {
  /** How often each kind of fault happens (probabilities per measurement). */
  record Faults(
      double measurerError,
      double relayRefusal,
      double torCommandError,
      double slowReports,
      Duration torDisconnectEvery) {
    static final Faults NONE = new Faults(0, 0, 0, 0, Duration.ZERO);
  }

  /** What one period saw: relays with a completed measurement, and how often each. */
  static final class PeriodTally {
    final Map<String, Integer> ends = new HashMap<>();
    int failed;
    int duplicateEnds;
  }

  final ManualLoop loop;
  final Random random;
  final Faults faults;
  final CoordSettings coordSettings;
  final ScheduleSettings settings;
  final Coordinator coord;
  final ScheduleRunner runner;
  final SimTor tor = new SimTor();
  final List<SimMeasurer> measurers = new ArrayList<>();
  final List<RouterStatus> consensus = new ArrayList<>();
  final Map<String, Long> capacity = new HashMap<>();
  final Map<String, Double> estimates = new HashMap<>();

  /** Per period of the measurement's slot (taken from its begin time), dropped once summarized. */
  final Map<Long, PeriodTally> tallies = new TreeMap<>();

  /** meas_ids with a record, of the last two periods (a duplicate record is caught). */
  private final Set<Long> recorded = new HashSet<>();

  private final Set<Long> recordedBefore = new HashSet<>();
  private final Queue<Runnable> io = new ArrayDeque<>();
  private boolean ioArmed;
  private Optional<ScheduleState> saved = Optional.empty();
  long records;

  /** Measurer connections the coordinator closed (none expected: no fault here hangs one). */
  final List<String> closes = new ArrayList<>();

  long torDisconnects;

  SimDeployment(
      Instant start,
      long seed,
      int relays,
      int measurerCount,
      long measurerCapacity,
      Duration period,
      Duration slot,
      int measDuration,
      Faults faults) {
    this.loop = new ManualLoop(start);
    this.random = new Random(seed);
    this.faults = faults;
    this.coordSettings = CoordSettings.of(measDuration, 0.25);
    Map<String, Long> caps = new TreeMap<>();
    for (int i = 0; i < measurerCount; i++) {
      caps.put("m" + i, measurerCapacity);
    }
    this.settings =
        new ScheduleSettings(
            period,
            slot,
            2.25,
            160,
            ScheduleSettings.LIMIT_FRACTION,
            true,
            ScheduleSettings.Prior.ADVERTISED,
            ScheduleSettings.MAX_ATTEMPTS,
            new Capacities(caps, measurerCapacity));
    for (int i = 0; i < relays; i++) {
      String fp = String.format("%040X", i + 1);
      long cap = 500_000 + random.nextInt(4_500_000); // 4-40 Mbit/s
      capacity.put(fp, cap);
      consensus.add(
          new RouterStatus(
              "r" + i,
              fp,
              start,
              "192.0.2." + (i % 250 + 1),
              9001,
              0,
              Set.of("Running", "Valid", "Fast"),
              cap / 1000,
              OptionalLong.empty()));
    }
    ScheduleRunner[] holder = new ScheduleRunner[1];
    this.coord =
        new Coordinator(
            loop,
            coordSettings,
            tor,
            new Sink(),
            (record, estimate) -> {
              estimate.ifPresent(e -> estimates.put(record.relayFp(), e));
              holder[0].measurementEnded(record, estimate);
            },
            new Random(seed + 1));
    ScheduleRunner.Core core =
        new ScheduleRunner.Core() {
          @Override
          public void startMeasurement(MeasurementRequest request, StartCallback callback) {
            coord.startMeasurement(request, callback);
          }

          @Override
          public Set<String> connectedMeasurers() {
            return coord.connectedMeasurers();
          }
        };
    Executor fileIo =
        task -> {
          // One "disk" thread that takes 50 ms a file: saves close together are coalesced, as the
          // runner does with the real file thread.
          io.add(task);
          if (!ioArmed) {
            ioArmed = true;
            loop.schedule(Duration.ofMillis(50), this::runIo);
          }
        };
    this.runner =
        new ScheduleRunner(
            loop,
            settings,
            core,
            new ConsensusRelays(tor, RelayFilter.all(), () -> Optional.of(Map.copyOf(estimates))),
            new MemoryState(),
            fileIo,
            new Random(seed + 2),
            Duration.ofMinutes(10));
    holder[0] = runner;
    coord.torStateChanged(TorState.READY, "");
    for (int i = 0; i < measurerCount; i++) {
      SimMeasurer m = new SimMeasurer("m" + i);
      measurers.add(m);
      coord.measurerConnected(m);
    }
    runner.start();
    loop.runPending();
    if (!faults.torDisconnectEvery().isZero()) {
      scheduleDisconnect();
    }
  }

  private void runIo() {
    ioArmed = false;
    Runnable t;
    while ((t = io.poll()) != null) {
      t.run();
    }
  }

  private Cancellable disconnectTimer;

  private void scheduleDisconnect() {
    if (stopped) {
      return;
    }
    long ms = faults.torDisconnectEvery().toMillis();
    disconnectTimer =
        loop.schedule(
            Duration.ofMillis(ms / 2 + (long) (random.nextDouble() * ms)), this::disconnect);
  }

  /** tor's control connection drops for 3 s: every live measurement fails, as in production. */
  private void disconnect() {
    if (stopped) {
      return;
    }
    torDisconnects++;
    tor.up = false;
    tor.generation++;
    coord.torStateChanged(TorState.LOST, "simulated disconnect");
    loop.schedule(
        Duration.ofSeconds(3),
        () -> {
          coord.torStateChanged(TorState.CONNECTING, "");
          tor.up = true;
          coord.torStateChanged(TorState.READY, "");
          runner.consensusChanged();
          scheduleDisconnect();
        });
  }

  private boolean stopped;

  /** Stops the schedule and the fault timers; the measurements under way run to their end. */
  void stop() {
    stopped = true;
    if (disconnectTimer != null) {
      disconnectTimer.cancel();
    }
    runner.stop();
  }

  long period(long epochSecond) {
    return settings.clock().periodIndex(Instant.ofEpochSecond(epochSecond));
  }

  /** The period tally for {@code p}, removed. */
  PeriodTally take(long p) {
    PeriodTally t = tallies.remove(p);
    return t == null ? new PeriodTally() : t;
  }

  /** Forgets the meas_ids of older periods (keeps two periods' worth for duplicate checks). */
  void rollRecorded() {
    recordedBefore.clear();
    recordedBefore.addAll(recorded);
    recorded.clear();
  }

  int liveMeasurements() {
    return coord.status().measurements().size();
  }

  int measurerLive() {
    int n = 0;
    for (SimMeasurer m : measurers) {
      n += m.live.size();
    }
    return n;
  }

  Optional<ScheduleState> saved() {
    return saved;
  }

  private final class MemoryState implements ScheduleRunner.StateStore {
    @Override
    public Optional<ScheduleState> load() {
      return saved;
    }

    @Override
    public void save(ScheduleState state) {
      saved = Optional.of(state);
    }

    @Override
    public void moveAside(String why) {
      throw new AssertionError("state moved aside: " + why);
    }
  }

  private final class Sink implements ResultsSink {
    @Override
    public void write(MeasurementRecord record, Runnable onDurable) {
      records++;
      boolean dup = !recorded.add(record.measId()) || recordedBefore.contains(record.measId());
      PeriodTally t = tallies.computeIfAbsent(period(record.beginTs()), p -> new PeriodTally());
      if (dup) {
        t.duplicateEnds++;
      }
      if (record.completed()) {
        t.ends.merge(record.relayFp(), 1, Integer::sum);
      } else {
        t.failed++;
      }
      loop.execute(onDurable);
    }
  }

  /** tor: answers each command on the loop, then sends the FF_MEAS events a relay would cause. */
  final class SimTor implements TorPort {
    boolean up = true;
    long generation;
    private long nextCirc = 1;

    private <T> boolean failed(TorCallback<T> cb) {
      if (!up) {
        loop.execute(() -> cb.onError(TorFailure.lost("simulated: not connected")));
        return true;
      }
      if (random.nextDouble() < faults.torCommandError()) {
        loop.execute(() -> cb.onError(TorFailure.error("551 simulated failure")));
        return true;
      }
      return false;
    }

    @Override
    public void coordStartMeas(long measId, String relayFp, int dur, TorCallback<Long> circId) {
      if (failed(circId)) {
        return;
      }
      long circ = nextCirc++;
      long gen = generation;
      boolean accept = random.nextDouble() >= faults.relayRefusal();
      loop.execute(() -> circId.onSuccess(circ));
      loop.schedule(
          Duration.ofMillis(100 + random.nextInt(200)),
          () -> {
            if (gen == generation) {
              coord.torEvent(new FfMeasEvent.ParamsSent(measId));
              coord.torEvent(new FfMeasEvent.ParamsOk(measId, accept));
            }
          });
    }

    @Override
    public void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done) {
      if (failed(done)) {
        return;
      }
      long gen = generation;
      loop.execute(() -> done.onSuccess(null));
      long bg = capacity.get(relayFp) / 10;
      for (int s = 1; s <= dur; s++) {
        loop.schedule(
            Duration.ofMillis(s * 1000L + 20),
            () -> {
              if (gen == generation) {
                coord.torEvent(new FfMeasEvent.BwReport(measId, bg, bg));
              }
            });
      }
    }

    @Override
    public void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done) {
      loop.execute(() -> done.onError(TorFailure.error("not simulated")));
    }

    @Override
    public void consensus(TorCallback<List<RouterStatus>> done) {
      if (!up) {
        loop.execute(() -> done.onError(TorFailure.lost("simulated: not connected")));
        return;
      }
      List<RouterStatus> copy = List.copyOf(consensus);
      loop.execute(() -> done.onSuccess(copy));
    }
  }

  /** A measurer that does what it is asked, now and then failing or reporting late. */
  final class SimMeasurer implements MeasurerLink {
    final String name;
    final Map<Long, ConnectToRelay> live = new HashMap<>();

    SimMeasurer(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String remoteAddress() {
      return "192.0.2.200:" + (4000 + name.hashCode() % 1000);
    }

    @Override
    public void send(Message message) {
      if (message instanceof ConnectToRelay c) {
        if (random.nextDouble() < faults.measurerError()) {
          loop.schedule(
              Duration.ofMillis(200),
              () ->
                  coord.measurerMessage(
                      this,
                      new Failure(
                          FailureCode.LAUNCH_CIRCS.wireValue(),
                          OptionalLong.of(c.measId()),
                          Optional.of("simulated: could not build circuits"))));
          return;
        }
        live.put(c.measId(), c);
        loop.schedule(
            Duration.ofMillis(150 + random.nextInt(300)),
            () -> {
              if (live.containsKey(c.measId())) {
                coord.measurerMessage(this, new ConnectedToRelay(c));
              }
            });
      } else if (message instanceof Go g) {
        ConnectToRelay c = live.get(g.measId());
        if (c == null) {
          return;
        }
        boolean slow = random.nextDouble() < faults.slowReports();
        long share = capacity.get(c.fp()) * 8 / 10 * c.nCircs() / coordSettings.numCircs() + 1_000;
        int[] sent = {0};
        for (int s = 1; s <= c.dur(); s++) {
          long late = slow ? 500 + random.nextInt(2500) : random.nextInt(50);
          loop.schedule(
              Duration.ofMillis(s * 1000L + late),
              () -> {
                if (live.containsKey(c.measId())) {
                  coord.measurerMessage(
                      this,
                      new BwReport(
                          c.measId(), loop.now().toEpochMilli() / 1000.0, share + 7, share));
                  if (++sent[0] == c.dur()) { // late ones may come out of order
                    live.remove(c.measId());
                  }
                }
              });
        }
      } else if (message instanceof Failure f) {
        f.measId().ifPresent(live::remove);
      }
    }

    @Override
    public void close(String reason) {
      closes.add(name + ": " + reason);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
