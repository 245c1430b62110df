package org.flashflow.measurer;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Message;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement on the measurer's side (docs/protocol.md section 4, steps 3 to 5): the first
 * MEASR_START_MEAS, the circuits, ConnectedToRelay, Go, the second MEASR_START_MEAS and the
 * reports. It ends exactly once; after that every input is ignored, so a late tor reply or event
 * cannot resurrect it. Any Failure this side sends ends it too, because the coordinator ends it on
 * reading one. Owned by the measurer's loop.
 */
final class Measurement {
  private static final Logger LOG = LoggerFactory.getLogger(Measurement.class);

  /** What a measurement needs from its owner. */
  interface Owner {
    /** Sends to the coordinator over the current connection, if there is one. */
    void send(Message message);

    /**
     * Takes ownership of tor's circuits {@code ids}, so that their CIRC events come here; returns
     * the last status of those whose events came before tor's reply did.
     */
    Map<Long, CircStatus> claim(Measurement m, List<Long> ids);

    /** The measurement is over; forget it. */
    void ended(Measurement m, boolean completed);
  }

  /** What the measurer knows about one circuit. */
  private enum Circuit {
    PENDING,
    BUILT,
    GONE
  }

  private final ConnectToRelay orig;
  private final MeasurerSettings settings;
  private final Loop loop;
  private final MeasurerTorPort tor;
  private final Owner owner;
  private final Map<Long, Circuit> circuits = new LinkedHashMap<>();
  private MeasurementPhase phase = MeasurementPhase.LAUNCHING;
  private int reports;
  private boolean ended;
  private Cancellable timer = () -> {};

  Measurement(
      ConnectToRelay orig, MeasurerSettings settings, Loop loop, MeasurerTorPort tor, Owner owner) {
    this.orig = orig;
    this.settings = settings;
    this.loop = loop;
    this.tor = tor;
    this.owner = owner;
  }

  long id() {
    return orig.measId();
  }

  MeasurementPhase phase() {
    return phase;
  }

  boolean ended() {
    return ended;
  }

  MeasurerStatus.MeasurementStatus status() {
    return new MeasurerStatus.MeasurementStatus(
        id(), orig.fp(), phase, circuits.size(), built(), reports, orig.dur());
  }

  void start() {
    LOG.info(
        "measurement {} of {}: launching {} circuit(s) for {} s{}",
        id(),
        orig.fp(),
        orig.nCircs(),
        orig.dur(),
        orig.bw().isPresent() ? " at up to " + orig.bw().getAsLong() + " bytes/s" : "");
    timer = loop.schedule(settings.circBuildTimeout(), this::onCircDeadline);
    tor.measrStartMeas(
        id(),
        orig.fp(),
        orig.nCircs(),
        orig.dur(),
        orig.bw(),
        new Step<>("MEASR_START_MEAS", FailureCode.LAUNCH_CIRCS, this::onLaunched));
  }

  private void onLaunched(List<Long> ids) {
    if (ids.isEmpty()) {
      fail(FailureCode.LAUNCH_CIRCS, "tor launched no circuits");
      return;
    }
    if (ids.size() != orig.nCircs()) {
      LOG.debug(
          "measurement {}: asked for {} circuits, tor launched {}",
          id(),
          orig.nCircs(),
          ids.size());
    }
    phase = MeasurementPhase.BUILDING;
    Map<Long, CircStatus> early = owner.claim(this, ids);
    for (Long circ : ids) {
      circuits.put(circ, Circuit.PENDING);
    }
    LOG.debug("measurement {}: tor launched circuits {}", id(), ids);
    early.forEach(this::apply);
    decideIfSettled();
  }

  /** A CIRC event for one of this measurement's circuits. */
  void onCirc(CircEvent e) {
    if (ended) {
      return;
    }
    LOG.debug("measurement {}: circuit {} {}", id(), e.circId(), e.status());
    apply(e.circId(), e.status());
    if (phase == MeasurementPhase.BUILDING) {
      decideIfSettled();
    }
  }

  private void apply(long circ, CircStatus status) {
    Circuit now = circuits.get(circ);
    if (now == null || now == Circuit.GONE) {
      return; // a closed circuit stays closed, whatever comes late
    }
    switch (status) {
      case BUILT -> circuits.put(circ, Circuit.BUILT);
      case FAILED, CLOSED -> circuits.put(circ, Circuit.GONE);
      case LAUNCHED, EXTENDED, GUARD_WAIT -> {}
    }
  }

  /** Decides once every circuit settled, or as soon as half can no longer be reached. */
  private void decideIfSettled() {
    int n = circuits.size();
    int gone = count(Circuit.GONE);
    if (built() + gone == n || n - gone < needed()) {
      decide("");
    }
  }

  private void decide(String when) {
    int n = circuits.size();
    int built = built();
    if (built >= needed()) {
      LOG.debug("measurement {}: {} of {} circuits built; ready", id(), built, n);
      timer.cancel();
      phase = MeasurementPhase.READY;
      timer = loop.schedule(settings.goTimeout(), this::onGoDeadline);
      owner.send(new ConnectedToRelay(orig));
    } else {
      fail(
          FailureCode.LAUNCH_CIRCS,
          "only " + built + " of " + n + " circuits built" + when + " (need " + needed() + ")");
    }
  }

  /** At least half, rounded up: ceil(n/2). */
  private int needed() {
    return (circuits.size() + 1) / 2;
  }

  private int built() {
    return count(Circuit.BUILT);
  }

  private int count(Circuit state) {
    return (int) circuits.values().stream().filter(c -> c == state).count();
  }

  /** Go from the coordinator. */
  void onGo() {
    if (ended) {
      return;
    }
    switch (phase) {
      case LAUNCHING, BUILDING ->
          fail(
              FailureCode.M_START_ACTIVE_MEAS, "Go before this measurer was ready (" + phase + ")");
      case STARTING_ACTIVE, ACTIVE -> fail(FailureCode.M_START_ACTIVE_MEAS, "second Go");
      case READY -> startActive();
    }
  }

  private void startActive() {
    int built = built();
    if (built == 0) {
      fail(FailureCode.M_START_ACTIVE_MEAS, "every circuit closed before Go");
      return;
    }
    timer.cancel();
    phase = MeasurementPhase.STARTING_ACTIVE;
    Duration limit = Duration.ofSeconds(orig.dur()).plus(settings.activeSlack());
    timer = loop.schedule(limit, () -> onActiveDeadline(limit));
    LOG.debug("measurement {}: Go; active phase on {} circuit(s)", id(), built);
    tor.measrStartMeasActive(
        id(),
        orig.fp(),
        built,
        orig.dur(),
        orig.bw(),
        new Step<>("second MEASR_START_MEAS", FailureCode.M_START_ACTIVE_MEAS, this::onActive));
  }

  private void onActive(Void ignored) {
    if (phase == MeasurementPhase.STARTING_ACTIVE) {
      phase = MeasurementPhase.ACTIVE;
    }
  }

  /** An FF_MEAS event for this measurement's id. */
  void onFfMeas(FfMeasEvent e) {
    if (ended) {
      return;
    }
    if (e instanceof FfMeasEvent.BwReport r) {
      onReport(r);
    } else if (e instanceof FfMeasEvent.End end) {
      onEnd(end.success());
    } else if (e instanceof FfMeasEvent.ParamsSent || e instanceof FfMeasEvent.ParamsOk) {
      LOG.debug("measurement {}: ignoring {} (a coordinator-side event)", id(), e);
    } else {
      throw new AssertionError("unknown FF_MEAS event " + e);
    }
  }

  private void onReport(FfMeasEvent.BwReport r) {
    // STARTING_ACTIVE too: tor's reply and its first report travel on different threads.
    if (phase != MeasurementPhase.STARTING_ACTIVE && phase != MeasurementPhase.ACTIVE) {
      LOG.debug("measurement {}: BW_REPORT before Go ({}); dropped", id(), phase);
      return;
    }
    reports++;
    owner.send(new BwReport(id(), unixSeconds(loop.now()), r.sent(), r.recv()));
  }

  private void onEnd(boolean success) {
    boolean active = phase == MeasurementPhase.STARTING_ACTIVE || phase == MeasurementPhase.ACTIVE;
    if (success && active) {
      LOG.info(
          "measurement {} of {} done: {} of {} report(s) sent",
          id(),
          orig.fp(),
          reports,
          orig.dur());
      end(true);
    } else {
      fail(
          codeForPhase(),
          "tor ended the measurement (END SUCCESS="
              + (success ? "TRUE" : "FALSE")
              + ") in phase "
              + phase
              + " after "
              + reports
              + " report(s)");
    }
  }

  private void onCircDeadline() {
    if (ended) {
      return;
    }
    String within = " within " + settings.circBuildTimeout().toSeconds() + " s";
    if (phase == MeasurementPhase.LAUNCHING) {
      fail(FailureCode.LAUNCH_CIRCS, "tor did not launch circuits" + within);
    } else if (phase == MeasurementPhase.BUILDING) {
      decide(within);
    }
  }

  private void onGoDeadline() {
    if (!ended && phase == MeasurementPhase.READY) {
      fail(
          FailureCode.M_START_ACTIVE_MEAS,
          "no Go within " + settings.goTimeout().toSeconds() + " s of ConnectedToRelay");
    }
  }

  private void onActiveDeadline(Duration limit) {
    if (ended) {
      return;
    }
    if (reports >= orig.dur()) {
      LOG.info(
          "measurement {} of {} done: {} report(s) sent; tor sent no END within {} s",
          id(),
          orig.fp(),
          reports,
          limit.toSeconds());
      end(true);
    } else {
      fail(
          FailureCode.M_START_ACTIVE_MEAS,
          "active phase not over after "
              + limit.toSeconds()
              + " s ("
              + reports
              + " of "
              + orig.dur()
              + " reports)");
    }
  }

  /**
   * The code for a failure that is not about one command: LAUNCH_CIRCS until ConnectedToRelay went
   * out, M_START_ACTIVE_MEAS after (the active measurement cannot happen or go on).
   */
  FailureCode codeForPhase() {
    return phase == MeasurementPhase.LAUNCHING || phase == MeasurementPhase.BUILDING
        ? FailureCode.LAUNCH_CIRCS
        : FailureCode.M_START_ACTIVE_MEAS;
  }

  /** Ends the measurement and tells the coordinator why, with {@code code}. */
  void fail(FailureCode code, String detail) {
    if (ended) {
      return;
    }
    LOG.info("measurement {} of {} failed: {} {}", id(), orig.fp(), code, detail);
    owner.send(new Failure(code.wireValue(), OptionalLong.of(id()), Optional.of(detail)));
    end(false);
  }

  /** Ends the measurement without a word to the coordinator, which already knows or cannot hear. */
  void abandon(String why) {
    if (ended) {
      return;
    }
    LOG.info("measurement {} of {} abandoned in phase {}: {}", id(), orig.fp(), phase, why);
    end(false);
  }

  private void end(boolean completed) {
    ended = true;
    timer.cancel();
    owner.ended(this, completed);
  }

  List<Long> circuitIds() {
    return List.copyOf(circuits.keySet());
  }

  static double unixSeconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  private static FailureCode codeFor(TorFailure f, FailureCode otherwise) {
    return f.kind() == TorFailure.Kind.MALFORMED ? FailureCode.MALFORMED_TOR_RESP : otherwise;
  }

  /** A tor command's completion that only counts while the measurement has not ended. */
  private final class Step<T> implements TorCallback<T> {
    private final String command;
    private final FailureCode code;
    private final Consumer<T> next;

    Step(String command, FailureCode code, Consumer<T> next) {
      this.command = command;
      this.code = code;
      this.next = next;
    }

    @Override
    public void onSuccess(T result) {
      if (!ended) {
        next.accept(result);
      }
    }

    @Override
    public void onError(TorFailure failure) {
      if (!ended) {
        fail(codeFor(failure, code), command + ": " + failure.detail());
      }
    }
  }
}
