package org.flashflow.coord.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state owner: connected measurers, live measurements and what tor is up to.
 * Every entry point runs on the one loop (and checks it), so none of this state needs a lock;
 * adapters for TLS, tor and files post their events here and get their commands through the ports.
 *
 * <p>A failure ends only the measurement it belongs to; everything else goes on.
 */
public final class Coordinator implements MeasurerListener {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final long MAX_MEAS_ID = 0xFFFF_FFFFL;
  private static final int RECENTLY_ENDED = 256;

  private final Loop loop;
  private final CoordSettings settings;
  private final TorPort tor;
  private final ResultsSink results;
  private final MeasurementObserver observer;
  private final Random random;
  private final CoordMetrics metrics;
  private final Map<String, MeasurerLink> measurers = new TreeMap<>();
  private final Map<Long, Measurement> measurements = new LinkedHashMap<>();

  /**
   * Who took part in the last measurements forgotten: measurers keep reporting until they read our
   * Failure or their own last second, and such late messages are a race, not misbehaviour.
   */
  private final Map<Long, Set<String>> recentlyEnded =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Set<String>> eldest) {
          return size() > RECENTLY_ENDED;
        }
      };

  private final Measurement.Owner owner = new OwnerImpl();
  private TorState torState = TorState.CONNECTING;
  private String torDetail = "";
  private long completed;
  private long failed;
  private boolean shutDown;

  /**
   * Wires the core to its ports.
   *
   * @param random picks meas_ids; production passes a {@code SecureRandom} so that ids cannot be
   *     guessed by a relay
   */
  public Coordinator(
      Loop loop,
      CoordSettings settings,
      TorPort tor,
      ResultsSink results,
      MeasurementObserver observer,
      Random random) {
    this(loop, settings, tor, results, observer, random, CoordMetrics.NONE);
  }

  /** As above, recording into {@code metrics}. */
  public Coordinator(
      Loop loop,
      CoordSettings settings,
      TorPort tor,
      ResultsSink results,
      MeasurementObserver observer,
      Random random,
      CoordMetrics metrics) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tor = Objects.requireNonNull(tor, "tor");
    this.results = Objects.requireNonNull(results, "results");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.random = Objects.requireNonNull(random, "random");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    metrics.torState(torState);
  }

  public CoordSettings settings() {
    return settings;
  }

  // ---- tor --------------------------------------------------------------------------------

  /** The tor adapter's view of its connection; leaving READY fails every live measurement. */
  public void torStateChanged(TorState state, String detail) {
    loop.checkInLoop();
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
    if (state != torState) {
      LOG.info("tor {} -> {}{}", torState, state, detail.isEmpty() ? "" : ": " + detail);
    }
    TorState before = torState;
    torState = state;
    torDetail = detail;
    metrics.torState(state);
    if (before == TorState.READY && state != TorState.READY) {
      failAll(
          FailReason.TOR_LOST, "tor connection " + state + (detail.isEmpty() ? "" : ": " + detail));
    }
  }

  /** An event from the coordinator's tor. */
  public void torEvent(TorEvent event) {
    loop.checkInLoop();
    if (event instanceof CircEvent circ) {
      for (Measurement m : List.copyOf(measurements.values())) {
        m.onCirc(circ);
      }
    } else if (event instanceof FfMeasEvent ff) {
      Measurement m = measurements.get(ff.measId());
      if (m == null) {
        LOG.debug("FF_MEAS for unknown meas_id {} ignored: {}", ff.measId(), ff);
      } else {
        m.onFfMeas(ff);
      }
    } else {
      throw new AssertionError("unknown tor event " + event);
    }
  }

  // ---- measurers --------------------------------------------------------------------------

  @Override
  public void measurerConnected(MeasurerLink link) {
    loop.checkInLoop();
    String name = link.name();
    MeasurerLink old = measurers.put(name, link);
    metrics.measurerConnected(name);
    LOG.info("measurer {} connected from {}", name, link.remoteAddress());
    if (old != null && old != link) {
      LOG.info(
          "measurer {} replaced its connection from {}; closing the old one",
          name,
          old.remoteAddress());
      for (Measurement m : List.copyOf(measurements.values())) {
        if (m.hasParticipant(old)) {
          m.onMeasurerLost(name, "replaced by a new connection");
        }
      }
      old.close("replaced by a new connection");
    }
  }

  @Override
  public void measurerDisconnected(MeasurerLink link) {
    loop.checkInLoop();
    if (measurers.get(link.name()) != link) {
      LOG.debug("old connection of measurer {} from {} closed", link.name(), link.remoteAddress());
      return;
    }
    LOG.info("measurer {} from {} disconnected", link.name(), link.remoteAddress());
    forget(link, "disconnected");
  }

  /**
   * A measurer missed a deadline of one of its measurements (docs/protocol.md section 11): a hung
   * program or a path that swallows data looks exactly like this, and TCP cannot tell. It is
   * forgotten at once, as if it had disconnected (its other live measurements fail with
   * MEASURER_LOST, status and the schedule no longer see it), and its connection is closed; once it
   * connects again it is a measurer like any other.
   *
   * @param what what it did not do, for the WARN and the other measurements' FAIL records
   */
  private void dropUnresponsive(MeasurerLink link, String what) {
    if (measurers.get(link.name()) != link) {
      return;
    }
    LOG.warn(
        "measurer {} ({}) {}; disconnecting it as unresponsive",
        link.name(),
        link.remoteAddress(),
        what);
    forget(link, "disconnected: " + what);
    link.close("unresponsive: " + what);
  }

  private void forget(MeasurerLink link, String why) {
    measurers.remove(link.name());
    metrics.measurerDisconnected(link.name());
    for (Measurement m : List.copyOf(measurements.values())) {
      if (m.hasParticipant(link)) {
        m.onMeasurerLost(link.name(), why);
      }
    }
  }

  /** The names of the measurers connected now: the ones a new measurement may use. */
  public Set<String> connectedMeasurers() {
    loop.checkInLoop();
    return Collections.unmodifiableSet(new TreeSet<>(measurers.keySet()));
  }

  @Override
  public void measurerMessage(MeasurerLink link, Message message) {
    loop.checkInLoop();
    String name = link.name();
    if (measurers.get(name) != link) {
      LOG.debug("message from replaced connection of measurer {} dropped: {}", name, message);
      return;
    }
    LOG.debug("from measurer {}: {}", name, message);
    if (message instanceof ConnectedToRelay c) {
      Measurement m = participating(link, c.orig().measId(), message);
      if (m != null) {
        m.onConnected(name, c);
      }
    } else if (message instanceof BwReport r) {
      Measurement m = participating(link, r.measId(), message);
      if (m != null) {
        m.onReport(name, r);
      }
    } else if (message instanceof Failure f) {
      onFailure(link, f);
    } else if (message instanceof ConnectToRelay || message instanceof Go) {
      LOG.warn("measurer {} sent {}, which only the coordinator sends; dropped", name, message);
    } else {
      throw new AssertionError("unknown message " + message);
    }
  }

  private void onFailure(MeasurerLink link, Failure f) {
    if (f.measId().isEmpty()) {
      LOG.warn(
          "measurer {} reported failure code {} without meas_id: {}",
          link.name(),
          f.code(),
          f.extraInfo().orElse(""));
      return;
    }
    Measurement m = participating(link, f.measId().getAsLong(), f);
    if (m != null) {
      m.onMeasurerFailure(link.name(), f);
    }
  }

  /** The live measurement {@code link} takes part in, or null (with a WARN) for a stranger. */
  private Measurement participating(MeasurerLink link, long measId, Message message) {
    Measurement m = measurements.get(measId);
    if (m == null && recentlyEnded.getOrDefault(measId, Set.of()).contains(link.name())) {
      LOG.debug(
          "late {} from measurer {} for ended meas_id {} ignored",
          message.type(),
          link.name(),
          measId);
      return null;
    }
    if (m == null || !m.hasParticipant(link)) {
      LOG.warn(
          "measurer {} sent {} for meas_id {}, a measurement it is not part of; dropped",
          link.name(),
          message.type(),
          measId);
      return null;
    }
    return m;
  }

  // ---- starting ---------------------------------------------------------------------------

  /**
   * Measures one relay now with every connected measurer, {@code num_circs} split evenly (the
   * control socket's {@code measure}). The relay is looked up in tor's consensus first, so that an
   * unknown relay is refused before any measurer is bothered.
   *
   * @param fpOrNickname 40 upper-case hex digits, or a nickname
   */
  public void measure(String fpOrNickname, StartCallback callback) {
    loop.checkInLoop();
    Optional<String> refusal = refusal();
    if (refusal.isPresent()) {
      callback.refused(refusal.get());
      return;
    }
    tor.lookupRelay(
        fpOrNickname,
        new TorCallback<>() {
          @Override
          public void onSuccess(Optional<RouterStatus> relay) {
            if (relay.isEmpty()) {
              callback.refused("unknown relay " + fpOrNickname + " (not in tor's consensus)");
              return;
            }
            List<String> names = List.copyOf(measurers.keySet());
            if (names.isEmpty()) {
              callback.refused("no measurers connected");
              return;
            }
            startMeasurement(
                MeasurementRequest.evenSplit(relay.get().fingerprint(), names, settings.numCircs()),
                callback);
          }

          @Override
          public void onError(TorFailure failure) {
            callback.refused("could not look up relay " + fpOrNickname + ": " + failure);
          }
        });
  }

  /**
   * Starts one measurement as requested. {@code callback} hears {@code started} once tor launched
   * the circuit, or {@code refused} if it did not get that far.
   */
  public void startMeasurement(MeasurementRequest request, StartCallback callback) {
    loop.checkInLoop();
    Optional<String> refusal = refusal().or(() -> refusal(request));
    if (refusal.isPresent()) {
      LOG.info("not measuring {}: {}", request.relayFp(), refusal.get());
      callback.refused(refusal.get());
      return;
    }
    Map<String, MeasurerLink> links = new LinkedHashMap<>();
    for (Assignment a : request.assignments()) {
      links.put(a.measurerName(), measurers.get(a.measurerName()));
    }
    Measurement m =
        new Measurement(newMeasId(), request, links, settings, loop, tor, owner, callback);
    measurements.put(m.id(), m);
    metrics.measurementStarted();
    m.start();
  }

  private Optional<String> refusal() {
    if (shutDown) {
      return Optional.of("the coordinator is shutting down");
    }
    Optional<String> torRefusal =
        switch (torState) {
          case READY -> Optional.empty();
          case NO_FLASHFLOW ->
              Optional.of("tor does not support FlashFlow (FF_MEAS missing from events/names)");
          case CONNECTING -> Optional.of("tor is not ready yet" + detailSuffix());
          case LOST -> Optional.of("lost the connection to tor" + detailSuffix());
        };
    if (torRefusal.isPresent()) {
      return torRefusal;
    }
    if (measurers.isEmpty()) {
      return Optional.of("no measurers connected");
    }
    return Optional.empty();
  }

  private Optional<String> refusal(MeasurementRequest request) {
    for (Assignment a : request.assignments()) {
      if (!measurers.containsKey(a.measurerName())) {
        return Optional.of("measurer " + a.measurerName() + " is not connected");
      }
    }
    for (Measurement m : measurements.values()) {
      if (!m.ended() && m.relayFp().equals(request.relayFp())) {
        return Optional.of(
            "relay " + request.relayFp() + " is already being measured (meas_id " + m.id() + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * Why tor cannot measure now ({@code tor is LOST (connection refused)}), or empty when it is
   * READY: for the schedule's stall alarm.
   */
  public Optional<String> torProblem() {
    loop.checkInLoop();
    return torState == TorState.READY
        ? Optional.empty()
        : Optional.of("tor is " + torState + detailSuffix());
  }

  private String detailSuffix() {
    return torDetail.isEmpty() ? "" : " (" + torDetail + ")";
  }

  /** Random in 1..2^32-1, unique among the measurements the core still holds. */
  private long newMeasId() {
    while (true) {
      long id = random.nextLong() & MAX_MEAS_ID;
      if (id != 0 && !measurements.containsKey(id)) {
        return id;
      }
    }
  }

  // ---- ending -----------------------------------------------------------------------------

  /** Fails every live measurement (SHUTDOWN) and refuses new ones; records still get written. */
  public void shutdown() {
    loop.checkInLoop();
    if (!shutDown) {
      LOG.info("coordinator shutting down with {} live measurement(s)", liveCount());
      shutDown = true;
      failAll(FailReason.SHUTDOWN, "coordinator shutting down");
    }
  }

  private void failAll(FailReason reason, String detail) {
    for (Measurement m : List.copyOf(measurements.values())) {
      m.fail(reason, detail);
    }
  }

  private long liveCount() {
    return measurements.values().stream().filter(m -> !m.ended()).count();
  }

  /** A snapshot for {@code status}. */
  public CoordinatorStatus status() {
    loop.checkInLoop();
    List<CoordinatorStatus.MeasurerStatus> ms = new ArrayList<>();
    for (MeasurerLink link : measurers.values()) {
      int live =
          (int)
              measurements.values().stream()
                  .filter(m -> !m.ended() && m.hasParticipant(link))
                  .count();
      ms.add(new CoordinatorStatus.MeasurerStatus(link.name(), link.remoteAddress(), live));
    }
    List<CoordinatorStatus.MeasurementStatus> live =
        measurements.values().stream()
            .map(Measurement::status)
            .sorted(Comparator.comparingLong(CoordinatorStatus.MeasurementStatus::measId))
            .toList();
    return new CoordinatorStatus(torState, torDetail, ms, live, completed, failed);
  }

  private final class OwnerImpl implements Measurement.Owner {
    @Override
    public boolean isConnected(MeasurerLink link) {
      return measurers.get(link.name()) == link;
    }

    @Override
    public void unresponsive(MeasurerLink link, String what) {
      dropUnresponsive(link, what);
    }

    @Override
    public void reportReceived(boolean background, Duration sincePrevious) {
      metrics.reportReceived(background, sincePrevious, loop.now());
    }

    @Override
    public void ended(Measurement m, MeasurementRecord record, OptionalDouble estimate) {
      if (record.completed()) {
        completed++;
      } else {
        failed++;
      }
      metrics.measurementEnded(record, estimate);
      results.write(
          record,
          () -> {
            loop.checkInLoop();
            if (measurements.remove(m.id(), m)) {
              recentlyEnded.put(m.id(), m.measurerNames());
              LOG.debug("measurement {} written; forgotten", m.id());
              observer.measurementEnded(record, estimate);
            }
          });
    }
  }
}
