package org.flashflow.coord.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.flashflow.common.loop.ManualLoop;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.StartCallback;

/**
 * What the schedule runner's virtual-time tests share: 10-minute periods of 30 s slots, two
 * measurers of 2.5 MB/s each (two relays of 1 MB/s, planned at 2.25 MB/s, per slot), and a fake
 * coordinator core that measures in 20 s.
 */
public final class ScheduleFixtures {
  public static final Duration PERIOD = Duration.ofMinutes(10);
  public static final Duration SLOT = Duration.ofSeconds(30);
  public static final Duration MEASUREMENT = Duration.ofSeconds(20);

  /** 5 s into a period: the first slot is already under way, the schedule starts at slot 1. */
  public static final Instant T0 = Instant.parse("2030-01-01T00:00:05Z");

  public static final long MB = 1_000_000;
  public static final ScheduleSettings SETTINGS =
      new ScheduleSettings(
          PERIOD,
          SLOT,
          2.25,
          10,
          ScheduleSettings.LIMIT_FRACTION,
          true,
          ScheduleSettings.Prior.ADVERTISED,
          ScheduleSettings.MAX_ATTEMPTS,
          new Capacities(Map.of("alice", 5 * MB / 2, "bob", 5 * MB / 2), 100));

  private ScheduleFixtures() {}

  /** {@code n} fingerprints, A0 upwards. */
  public static List<String> fingerprints(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format(Locale.ROOT, "%040X", 0xA0 + i));
    }
    return out;
  }

  /** Relays of 1 MB/s consensus bandwidth without an estimate. */
  public static List<Planner.Relay> relays(List<String> fps) {
    return fps.stream()
        .map(fp -> new Planner.Relay(fp, OptionalDouble.empty(), OptionalLong.of(MB)))
        .toList();
  }

  /**
   * A coordinator core that measures in {@link #MEASUREMENT} of virtual time: refuses the relays in
   * {@link #refuseOnce} once and everything while {@link #torProblem} is set; fails every
   * measurement with {@link #failWith} while it is set; else completes each with half the capacity
   * given as measured.
   */
  static final class FakeCore implements ScheduleRunner.Core {
    final ManualLoop loop;
    final Set<String> connected = new TreeSet<>(Set.of("alice", "bob"));
    final Set<String> refuseOnce = new HashSet<>();
    final List<String> started = new ArrayList<>();
    final List<String> completed = new ArrayList<>();
    final Map<String, Instant> startedAt = new HashMap<>();
    Optional<String> torProblem = Optional.empty();
    Optional<FailReason> failWith = Optional.empty();
    int failures;
    ScheduleRunner runner;
    private long nextId = 1;

    FakeCore(ManualLoop loop) {
      this.loop = loop;
    }

    @Override
    public void startMeasurement(MeasurementRequest request, StartCallback callback) {
      String fp = request.relayFp();
      if (torProblem.isPresent()) {
        callback.refused("lost the connection to tor");
        return;
      }
      if (refuseOnce.remove(fp)) {
        callback.refused("relay " + fp + " is busy");
        return;
      }
      long id = nextId++;
      started.add(fp);
      startedAt.put(fp, loop.now());
      callback.started(id, fp);
      Optional<FailReason> fail = failWith;
      long given = request.assignments().stream().mapToLong(a -> a.bw().orElseThrow()).sum();
      List<Long> recv = request.assignments().stream().map(a -> a.bw().getAsLong() / 2).toList();
      loop.schedule(
          MEASUREMENT,
          () -> {
            long ts = loop.now().getEpochSecond();
            if (fail.isPresent()) {
              failures++;
              runner.measurementEnded(
                  new MeasurementRecord(
                      id,
                      fp,
                      ts,
                      List.of(),
                      Optional.of(new MeasurementRecord.Failed(fail.get(), "circuit closed")),
                      OptionalLong.empty()),
                  OptionalDouble.empty());
              return;
            }
            completed.add(fp);
            runner.measurementEnded(
                new MeasurementRecord(
                    id,
                    fp,
                    ts,
                    List.of(new MeasurementRecord.Second(recv, 0, 0)),
                    Optional.empty(),
                    OptionalLong.empty()),
                OptionalDouble.of(given / 2.0));
          });
    }

    @Override
    public Set<String> connectedMeasurers() {
      return Set.copyOf(connected);
    }

    @Override
    public Optional<String> torProblem() {
      return torProblem;
    }
  }
}
