package org.flashflow.measurer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.flashflow.common.loop.Loop;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurer's state owner: the connection to the coordinator, what tor is up to, and every live
 * measurement. Every entry point runs on the one loop (and checks it), so none of this state needs
 * a lock; the coordinator connection and the tor adapter post their events here and get their work
 * done through {@link CoordLink} and {@link MeasurerTorPort}.
 *
 * <p>Several measurements run at once, each independent of the others. A measurement that cannot
 * complete any more (its coordinator connection or its tor is gone) is forgotten at once, so
 * nothing leaks across reconnections.
 */
public final class Measurer implements CoordListener {
  private static final Logger LOG = LoggerFactory.getLogger(Measurer.class);

  /**
   * CIRC events of circuits nobody claimed yet are kept (while a MEASR_START_MEAS reply is awaited)
   * because tor's reply and its first events reach the loop by different threads. Bounded, since a
   * busy tor has many circuits that are none of our business.
   */
  private static final int UNCLAIMED_LIMIT = 4096;

  private final Loop loop;
  private final MeasurerSettings settings;
  private final MeasurerTorPort tor;
  private final Map<Long, Measurement> measurements = new TreeMap<>();
  private final Map<Long, Measurement> circuitOwners = new HashMap<>();
  private final Map<Long, CircStatus> unclaimed =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CircStatus> eldest) {
          return size() > UNCLAIMED_LIMIT;
        }
      };

  private final Measurement.Owner owner = new OwnerImpl();
  private final MeasurerMetrics metrics;
  private CoordLink coord;
  private TorState torState = TorState.CONNECTING;
  private String torDetail = "";
  private long completed;
  private long failed;
  private boolean shutDown;

  public Measurer(Loop loop, MeasurerSettings settings, MeasurerTorPort tor) {
    this(loop, settings, tor, MeasurerMetrics.NONE);
  }

  /** As above, recording into {@code metrics}. */
  public Measurer(
      Loop loop, MeasurerSettings settings, MeasurerTorPort tor, MeasurerMetrics metrics) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tor = Objects.requireNonNull(tor, "tor");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    metrics.torState(torState);
    metrics.coordConnected(false);
  }

  // ---- tor --------------------------------------------------------------------------------

  /**
   * The tor adapter's view of its connection. Leaving READY fails every live measurement: tor's
   * circuits and counters went with the connection (or tor itself), so none can complete.
   */
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
      String why = "lost tor (" + state + (detail.isEmpty() ? "" : ": " + detail) + ")";
      for (Measurement m : List.copyOf(measurements.values())) {
        m.fail(m.codeForPhase(), why);
      }
      unclaimed.clear();
    }
  }

  /** An event from the measurer's tor. */
  public void torEvent(TorEvent event) {
    loop.checkInLoop();
    if (event instanceof CircEvent circ) {
      Measurement m = circuitOwners.get(circ.circId());
      if (m != null) {
        m.onCirc(circ);
      } else if (anyLaunching()) {
        unclaimed.put(circ.circId(), circ.status());
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

  private boolean anyLaunching() {
    return measurements.values().stream().anyMatch(m -> m.phase() == MeasurementPhase.LAUNCHING);
  }

  // ---- coordinator ------------------------------------------------------------------------

  @Override
  public void coordConnected(CoordLink link) {
    loop.checkInLoop();
    CoordLink old = coord;
    coord = Objects.requireNonNull(link, "link");
    metrics.coordConnected(true);
    LOG.info("connected to the coordinator at {}", link.remoteAddress());
    if (old != null && old != link) {
      abandonAll("replaced the connection to the coordinator");
    }
  }

  @Override
  public void coordDisconnected(CoordLink link) {
    loop.checkInLoop();
    if (coord != link) {
      return;
    }
    coord = null;
    metrics.coordConnected(false);
    LOG.info("disconnected from the coordinator at {}", link.remoteAddress());
    abandonAll("lost the connection to the coordinator");
  }

  @Override
  public void coordMessage(CoordLink link, Message message) {
    loop.checkInLoop();
    if (coord != link) {
      LOG.debug("message on an old coordinator connection dropped: {}", message);
      return;
    }
    LOG.debug("from the coordinator: {}", message);
    if (message instanceof ConnectToRelay c) {
      onConnectToRelay(c);
    } else if (message instanceof Go g) {
      onGo(g);
    } else if (message instanceof Failure f) {
      onFailure(f);
    } else if (message instanceof ConnectedToRelay || message instanceof BwReport) {
      LOG.warn(
          "coordinator at {} sent {}, which only measurers send; dropped",
          link.remoteAddress(),
          message);
    } else {
      throw new AssertionError("unknown message " + message);
    }
  }

  private void onConnectToRelay(ConnectToRelay c) {
    long id = c.measId();
    Measurement live = measurements.get(id);
    if (live != null) {
      LOG.warn("coordinator reused meas_id {} of a live measurement; refused", id);
      refuse(FailureCode.M_DUPE_MEAS_ID, id, "meas_id " + id + " is already live");
      return;
    }
    Optional<String> refusal = refusal();
    if (refusal.isPresent()) {
      LOG.info("measurement {} of {} refused: {}", id, c.fp(), refusal.get());
      refuse(FailureCode.LAUNCH_CIRCS, id, refusal.get());
      failed++;
      metrics.measurementEnded(false);
      return;
    }
    Measurement m = new Measurement(c, settings, loop, tor, owner);
    measurements.put(id, m);
    metrics.measurementStarted();
    m.start();
  }

  private Optional<String> refusal() {
    if (shutDown) {
      return Optional.of("the measurer is shutting down");
    }
    String suffix = torDetail.isEmpty() ? "" : " (" + torDetail + ")";
    return switch (torState) {
      case READY -> Optional.empty();
      case NO_FLASHFLOW ->
          Optional.of("tor does not support FlashFlow (FF_MEAS missing from events/names)");
      case CONNECTING -> Optional.of("tor is not ready yet" + suffix);
      case LOST -> Optional.of("lost the connection to tor" + suffix);
    };
  }

  private void onGo(Go g) {
    Measurement m = measurements.get(g.measId());
    if (m == null) {
      LOG.warn("Go for meas_id {}, which is not live here; refused", g.measId());
      refuse(
          FailureCode.M_UNKNOWN_MEAS_ID,
          g.measId(),
          "no live measurement with meas_id " + g.measId());
      return;
    }
    m.onGo();
  }

  private void onFailure(Failure f) {
    String what =
        "code "
            + f.code()
            + FailureCode.fromWire(f.code()).map(c -> " (" + c + ")").orElse("")
            + f.extraInfo().map(x -> ": " + x).orElse("");
    if (f.measId().isEmpty()) {
      LOG.warn("coordinator reported a failure without meas_id: {}", what);
      return;
    }
    Measurement m = measurements.get(f.measId().getAsLong());
    if (m == null) {
      LOG.debug("Failure for meas_id {}, not live here: {}", f.measId().getAsLong(), what);
      return;
    }
    m.abandon("the coordinator ended it: " + what);
  }

  private void refuse(FailureCode code, long measId, String detail) {
    send(new Failure(code.wireValue(), OptionalLong.of(measId), Optional.of(detail)));
  }

  private void send(Message message) {
    if (coord == null) {
      LOG.debug("not connected to the coordinator; dropped {}", message);
      return;
    }
    LOG.debug("to the coordinator: {}", message);
    coord.send(message);
  }

  private void abandonAll(String why) {
    for (Measurement m : List.copyOf(measurements.values())) {
      m.abandon(why);
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /**
   * Fails every live measurement (the coordinator hears why, if connected) and refuses new ones.
   */
  public void shutdown() {
    loop.checkInLoop();
    if (!shutDown) {
      LOG.info("measurer shutting down with {} live measurement(s)", measurements.size());
      shutDown = true;
      for (Measurement m : List.copyOf(measurements.values())) {
        m.fail(m.codeForPhase(), "the measurer is shutting down");
      }
    }
  }

  /** A snapshot for log lines and tests. */
  public MeasurerStatus status() {
    loop.checkInLoop();
    List<MeasurerStatus.MeasurementStatus> live = new ArrayList<>();
    for (Measurement m : measurements.values()) {
      live.add(m.status());
    }
    return new MeasurerStatus(coord != null, torState, torDetail, live, completed, failed);
  }

  private final class OwnerImpl implements Measurement.Owner {
    @Override
    public void send(Message message) {
      if (message instanceof BwReport r) {
        metrics.reported(r.sent(), r.recv());
      }
      Measurer.this.send(message);
    }

    @Override
    public Map<Long, CircStatus> claim(Measurement m, List<Long> ids) {
      Map<Long, CircStatus> early = new HashMap<>();
      for (Long id : ids) {
        circuitOwners.put(id, m);
        CircStatus s = unclaimed.remove(id);
        if (s != null) {
          early.put(id, s);
        }
      }
      if (!anyLaunching()) {
        unclaimed.clear();
      }
      return early;
    }

    @Override
    public void ended(Measurement m, boolean ok) {
      if (measurements.remove(m.id(), m)) {
        for (Long circ : m.circuitIds()) {
          circuitOwners.remove(circ, m);
        }
        if (ok) {
          completed++;
        } else {
          failed++;
        }
        metrics.measurementEnded(ok);
      }
      if (!anyLaunching()) {
        unclaimed.clear();
      }
    }
  }
}
