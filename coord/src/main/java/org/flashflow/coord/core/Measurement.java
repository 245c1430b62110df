package org.flashflow.coord.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.flashflow.common.config.Durations;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.MeasurementRecord.Failed;
import org.flashflow.coord.core.MeasurementRecord.Second;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Go;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement's lifecycle (docs/protocol.md section 4), from the first COORD_START_MEAS to its
 * record. It ends exactly once, completed or failed, and then only waits in {@link
 * MeasurementPhase#FINISHING} for the {@link Coordinator} to make the record durable; every input
 * after that is ignored, so late events cannot resurrect it. Owned by the coordinator's loop.
 */
final class Measurement {
  private static final Logger LOG = LoggerFactory.getLogger(Measurement.class);

  /** The newest closed circuits kept while the LAUNCHED reply is on its way. */
  private static final int MAX_EARLY_CLOSED = 64;

  /** What a measurement needs from its owner. */
  interface Owner {
    /** Whether {@code link} is still the connection of its measurer. */
    boolean isConnected(MeasurerLink link);

    /**
     * {@code link} missed a deadline of this measurement (which has already ended): disconnect it,
     * as if it had gone itself.
     *
     * @param what what it did not do, e.g. {@code did not answer Go for meas_id 5 within 5 s}
     */
    void unresponsive(MeasurerLink link, String what);

    /** A report counted in the active phase; {@code sincePrevious} as in {@link CoordMetrics}. */
    void reportReceived(boolean background, Duration sincePrevious);

    /** The measurement ended; hand {@code record} to the results log. */
    void ended(Measurement m, MeasurementRecord record, OptionalDouble estimate);
  }

  private final long id;
  private final String fp;
  private final int dur;
  private final CoordSettings settings;
  private final Loop loop;
  private final TorPort tor;
  private final Owner owner;
  private final Map<String, MeasurerLink> links = new LinkedHashMap<>();
  private final Map<String, ConnectToRelay> asked = new LinkedHashMap<>();
  private final List<Assignment> assignments;
  private final OptionalLong givenBw;
  private final Set<String> ready = new HashSet<>();
  private final Set<String> gone = new HashSet<>();
  private final Reports reports;
  private final Map<String, Cancellable> gapTimers = new HashMap<>();
  private final Map<String, LastReports> measurerReports = new HashMap<>();
  private final LastReports backgroundReports = new LastReports();
  private long goAt;
  private StartCallback startCallback;
  private MeasurementPhase phase = MeasurementPhase.LAUNCHING;
  private OptionalLong circId = OptionalLong.empty();

  /**
   * Circuits that closed while tor's LAUNCHED reply was still on its way. Events reach the loop by
   * a shorter path than command replies, so tor's "250 LAUNCHED 5" followed at once by "650 CIRC 5
   * FAILED" can arrive here in the opposite order; the circuit's end must not be lost then.
   */
  private final List<CircEvent> closedBeforeLaunched = new ArrayList<>();

  private long beginTs = -1;
  private Cancellable setupTimer = () -> {};
  private Cancellable activeTimer = () -> {};
  private Cancellable bgGapTimer = () -> {};

  Measurement(
      long id,
      MeasurementRequest request,
      Map<String, MeasurerLink> participants,
      CoordSettings settings,
      Loop loop,
      TorPort tor,
      Owner owner,
      StartCallback startCallback) {
    this.id = id;
    this.fp = request.relayFp();
    this.dur = settings.measDuration();
    this.settings = settings;
    this.loop = loop;
    this.tor = tor;
    this.owner = owner;
    this.startCallback = startCallback;
    this.assignments = request.assignments();
    this.givenBw = request.givenBw();
    List<String> names = new ArrayList<>();
    for (Assignment a : assignments) {
      links.put(a.measurerName(), participants.get(a.measurerName()));
      names.add(a.measurerName());
    }
    this.reports = new Reports(dur, names);
  }

  long id() {
    return id;
  }

  String relayFp() {
    return fp;
  }

  MeasurementPhase phase() {
    return phase;
  }

  boolean ended() {
    return phase == MeasurementPhase.FINISHING;
  }

  Set<String> measurerNames() {
    return Set.copyOf(links.keySet());
  }

  /** Whether {@code link} is the connection this measurement uses for its measurer. */
  boolean hasParticipant(MeasurerLink link) {
    return links.get(link.name()) == link;
  }

  CoordinatorStatus.MeasurementStatus status() {
    return new CoordinatorStatus.MeasurementStatus(
        id, fp, phase, reports.secondsDone(), dur, List.copyOf(links.keySet()));
  }

  void start() {
    LOG.info("measurement {} of {} starting with measurers {}", id, fp, names());
    setupTimer = loop.schedule(settings.setupTimeout(), this::onSetupDeadline);
    tor.coordStartMeas(id, fp, dur, new Step<>("COORD_START_MEAS", this::onLaunched));
  }

  private void onLaunched(long circ) {
    LOG.debug("measurement {}: tor launched circuit {}", id, circ);
    circId = OptionalLong.of(circ);
    if (phase == MeasurementPhase.LAUNCHING) {
      phase = MeasurementPhase.WAITING_FOR_RELAY;
    }
    if (startCallback != null) {
      startCallback.started(id, fp);
      startCallback = null;
    }
    List<CircEvent> early = List.copyOf(closedBeforeLaunched);
    closedBeforeLaunched.clear();
    for (CircEvent e : early) {
      if (e.circId() == circ) {
        onCirc(e);
      }
    }
  }

  void onCirc(CircEvent e) {
    if (!ended() && circId.isEmpty() && isClosed(e)) {
      if (closedBeforeLaunched.size() == MAX_EARLY_CLOSED) {
        closedBeforeLaunched.remove(0);
      }
      closedBeforeLaunched.add(e);
      return;
    }
    if (ended() || circId.isEmpty() || circId.getAsLong() != e.circId()) {
      return;
    }
    LOG.debug("measurement {}: circuit {} {}", id, e.circId(), e.status());
    boolean closed = isClosed(e);
    // Once the relay sent all its reports, tor closing the circuit is the normal end.
    if (closed && !reports.backgroundDone()) {
      fail(
          FailReason.CIRC_FAILED,
          "circuit "
              + e.circId()
              + " to the relay "
              + e.status()
              + e.reason().map(r -> " (" + r + ")").orElse(""));
    }
  }

  private static boolean isClosed(CircEvent e) {
    return e.status() == CircEvent.CircStatus.FAILED || e.status() == CircEvent.CircStatus.CLOSED;
  }

  void onFfMeas(FfMeasEvent e) {
    if (!ended() && startCallback != null) {
      // tor's FF_MEAS event about our meas_id can reach the loop before its reply to
      // COORD_START_MEAS does (the reply goes through the command thread, the event does not): it
      // proves the measurement started all the same, so whoever asked hears that first, whatever
      // the event says next.
      startCallback.started(id, fp);
      startCallback = null;
    }
    if (ended()) {
      LOG.debug("measurement {} already ended; ignoring {}", id, e);
    } else if (e instanceof FfMeasEvent.ParamsSent) {
      LOG.debug("measurement {}: parameters sent to the relay", id);
    } else if (e instanceof FfMeasEvent.ParamsOk ok) {
      onParamsOk(ok.accepted());
    } else if (e instanceof FfMeasEvent.BwReport r) {
      onBackground(r);
    } else if (e instanceof FfMeasEvent.End end) {
      onEnd(end.success());
    } else {
      throw new AssertionError("unknown FF_MEAS event " + e);
    }
  }

  private void onParamsOk(boolean accepted) {
    if (phase != MeasurementPhase.LAUNCHING && phase != MeasurementPhase.WAITING_FOR_RELAY) {
      LOG.debug("measurement {}: ignoring repeated PARAMS_OK", id);
    } else if (!accepted) {
      fail(FailReason.RELAY_REFUSED, "relay refused the measurement (PARAMS_OK ACCEPTED=FALSE)");
    } else {
      LOG.debug("measurement {}: relay accepted; asking measurers {} to connect", id, names());
      phase = MeasurementPhase.CONNECTING_MEASURERS;
      // Each measurer gets the whole setup_timeout to answer, however long the relay took.
      setupTimer.cancel();
      setupTimer = loop.schedule(settings.setupTimeout(), this::onSetupDeadline);
      for (Assignment a : assignments) {
        ConnectToRelay msg = new ConnectToRelay(id, fp, a.nCircs(), dur, a.bw());
        asked.put(a.measurerName(), msg);
        links.get(a.measurerName()).send(msg);
      }
    }
  }

  private void onEnd(boolean success) {
    if (!success) {
      fail(FailReason.TOR_ENDED, "tor ended the measurement (END SUCCESS=FALSE)");
    } else if (!reports.backgroundDone()) {
      fail(
          FailReason.TOR_ENDED,
          "tor ended the measurement after "
              + reports.backgroundCount()
              + " of "
              + dur
              + " background reports");
    } else {
      LOG.debug("measurement {}: tor's side ended", id);
    }
  }

  void onConnected(String measurer, ConnectedToRelay msg) {
    if (ended()) {
      return;
    }
    ConnectToRelay expected = asked.get(measurer);
    if (phase != MeasurementPhase.CONNECTING_MEASURERS || ready.contains(measurer)) {
      LOG.warn(
          "measurement {}: unexpected ConnectedToRelay from measurer {} in phase {}; dropped",
          id,
          measurer,
          phase);
    } else if (!msg.orig().equals(expected)) {
      LOG.warn(
          "measurement {}: measurer {} confirmed {} but was asked {}",
          id,
          measurer,
          msg.orig(),
          expected);
      fail(FailReason.MEASURER_FAILED, "measurer " + measurer + " confirmed other parameters");
    } else {
      LOG.debug("measurement {}: measurer {} ready", id, measurer);
      ready.add(measurer);
      if (ready.size() == links.size()) {
        startActive();
      }
    }
  }

  private void startActive() {
    setupTimer.cancel();
    phase = MeasurementPhase.STARTING_ACTIVE;
    activeTimer = loop.schedule(settings.activeTimeout(), this::onActiveDeadline);
    tor.coordStartMeasActive(
        id, fp, dur, new Step<>("second COORD_START_MEAS", ignored -> sendGo()));
  }

  private void sendGo() {
    LOG.debug("measurement {}: active phase; sending Go to {}", id, names());
    phase = MeasurementPhase.ACTIVE;
    goAt = loop.nanoTime();
    for (MeasurerLink link : links.values()) {
      link.send(new Go(id));
    }
    restartBackgroundGap();
    for (String name : links.keySet()) {
      restartGap(name);
    }
  }

  private void onBackground(FfMeasEvent.BwReport r) {
    if (phase != MeasurementPhase.STARTING_ACTIVE && phase != MeasurementPhase.ACTIVE) {
      LOG.debug("measurement {}: background report before the active phase; ignored", id);
      return;
    }
    if (reports.backgroundCount() == 0) {
      beginTs = loop.now().getEpochSecond();
    }
    if (!reports.addBackground(r.sent(), r.recv())) {
      LOG.debug("measurement {}: extra background report ignored", id);
      return;
    }
    long now = loop.nanoTime();
    if (phase == MeasurementPhase.ACTIVE) {
      long since = backgroundReports.any() ? backgroundReports.last() : goAt;
      owner.reportReceived(true, Duration.ofNanos(now - since));
    }
    backgroundReports.add(now);
    if (phase == MeasurementPhase.ACTIVE) {
      restartBackgroundGap();
    }
    completeIfDone();
  }

  void onReport(String measurer, BwReport r) {
    if (ended()) {
      LOG.debug("measurement {} already ended; ignoring report from {}", id, measurer);
    } else if (phase != MeasurementPhase.ACTIVE) {
      LOG.warn("measurement {}: report from measurer {} before Go; dropped", id, measurer);
    } else if (!reports.addMeasurer(measurer, r.recv())) {
      LOG.debug("measurement {}: extra report from measurer {} ignored", id, measurer);
    } else {
      long now = loop.nanoTime();
      LastReports own = measurerReports.computeIfAbsent(measurer, n -> new LastReports());
      owner.reportReceived(false, Duration.ofNanos(now - (own.any() ? own.last() : goAt)));
      own.add(now);
      restartGap(measurer);
      completeIfDone();
    }
  }

  void onMeasurerFailure(String measurer, Failure f) {
    if (ended()) {
      return;
    }
    gone.add(measurer);
    String code = f.code() + FailureCode.fromWire(f.code()).map(c -> " (" + c + ")").orElse("");
    fail(
        FailReason.MEASURER_FAILED,
        "measurer "
            + measurer
            + " failed: code "
            + code
            + f.extraInfo().map(x -> ": " + x).orElse(""));
  }

  void onMeasurerLost(String measurer, String why) {
    if (ended()) {
      return;
    }
    gone.add(measurer);
    fail(FailReason.MEASURER_LOST, "measurer " + measurer + " " + why);
  }

  private void restartBackgroundGap() {
    bgGapTimer.cancel();
    if (!reports.backgroundDone()) {
      bgGapTimer =
          loop.schedule(
              settings.reportTimeout(),
              () -> onGap("no background report from the relay for " + reportTimeoutText()));
    }
  }

  private void restartGap(String measurer) {
    Cancellable old = gapTimers.remove(measurer);
    if (old != null) {
      old.cancel();
    }
    if (!reports.measurerDone(measurer)) {
      gapTimers.put(
          measurer, loop.schedule(settings.reportTimeout(), () -> onMeasurerGap(measurer)));
    }
  }

  private String reportTimeoutText() {
    return Durations.format(settings.reportTimeout());
  }

  private void onGap(String detail) {
    if (!ended()) {
      fail(FailReason.REPORTS_STOPPED, detail);
    }
  }

  /**
   * {@code measurer} sent nothing for {@code report_timeout} since Go or its last report. If every
   * other source went on reporting meanwhile, the silence is the measurer's own (hung, or its
   * connection swallows data): it is dropped. If the others stopped too, nobody is singled out.
   */
  private void onMeasurerGap(String measurer) {
    if (ended()) {
      return;
    }
    String timeout = reportTimeoutText();
    LastReports own = measurerReports.get(measurer);
    long since = own == null ? goAt : own.last();
    if (!othersReportedSince(measurer, since)) {
      onGap("no report from " + measurer + " for " + timeout);
      return;
    }
    String what =
        own == null
            ? "did not answer Go for meas_id " + id + " within " + timeout + " (no report)"
            : "sent no report for meas_id " + id + " for " + timeout + " while the others did";
    String detail =
        own == null
            ? "did not answer Go within " + timeout + " (no report, while the others reported)"
            : "sent no report for " + timeout + " while the others did";
    dropUnresponsive(List.of(measurer), detail, what);
  }

  /** Whether the relay and every measurer but {@code silent} are done or reported since then. */
  private boolean othersReportedSince(String silent, long since) {
    if (!reports.backgroundDone() && !backgroundReports.twoSince(since)) {
      return false;
    }
    for (String name : links.keySet()) {
      if (name.equals(silent) || reports.measurerDone(name)) {
        continue;
      }
      LastReports r = measurerReports.get(name);
      if (r == null || !r.twoSince(since)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fails the measurement with MEASURER_LOST naming {@code late}, then has the owner disconnect
   * them. They get no Failure: they are not listening.
   */
  private void dropUnresponsive(List<String> late, String detail, String what) {
    String who = late.size() == 1 ? "measurer " : "measurers ";
    gone.addAll(late);
    fail(FailReason.MEASURER_LOST, who + String.join(", ", late) + " " + detail + "; disconnected");
    for (String name : late) {
      owner.unresponsive(links.get(name), what);
    }
  }

  private void onSetupDeadline() {
    if (ended()) {
      return;
    }
    if (phase == MeasurementPhase.CONNECTING_MEASURERS) {
      List<String> late = new ArrayList<>(links.keySet());
      late.removeAll(ready);
      String within = " within " + Durations.format(settings.setupTimeout());
      dropUnresponsive(
          late,
          "did not answer ConnectToRelay" + within,
          "did not answer ConnectToRelay for meas_id " + id + within);
    } else {
      fail(
          FailReason.TIMEOUT,
          "relay did not accept within " + Durations.format(settings.setupTimeout()));
    }
  }

  private void onActiveDeadline() {
    if (!ended()) {
      fail(
          FailReason.TIMEOUT,
          "active phase not complete after "
              + Durations.format(settings.activeTimeout())
              + " ("
              + reports.progress()
              + ")");
    }
  }

  private void completeIfDone() {
    if (!reports.complete()) {
      return;
    }
    List<Second> seconds = reports.seconds(settings.bgPercent());
    OptionalDouble estimate = OptionalDouble.of(Estimate.estimate(seconds));
    LOG.info(
        "measurement {} of {}: {} Mbit/s (measurers {}{})",
        id,
        fp,
        String.format(Locale.ROOT, "%.2f", estimate.orElse(0) * 8 / 1e6),
        String.join(",", links.keySet()),
        Reports.cappingNote(seconds));
    end(new MeasurementRecord(id, fp, beginTs, seconds, Optional.empty(), givenBw), estimate);
  }

  /**
   * Ends the measurement as failed: tells every measurer that was asked to connect, is still
   * connected and has not failed itself, and answers a pending start request.
   */
  void fail(FailReason reason, String detail) {
    if (ended()) {
      return;
    }
    LOG.info("measurement {} of {} failed: {} {}", id, fp, reason, detail);
    Failure msg =
        new Failure(
            FailureCode.C_MEAS_ABORTED.wireValue(),
            OptionalLong.of(id),
            Optional.of(reason + ": " + detail));
    for (String name : asked.keySet()) {
      MeasurerLink link = links.get(name);
      if (!gone.contains(name) && owner.isConnected(link)) {
        link.send(msg);
      }
    }
    if (startCallback != null) {
      startCallback.refused("measurement " + id + " of " + fp + " failed: " + detail);
      startCallback = null;
    }
    long ts = beginTs >= 0 ? beginTs : loop.now().getEpochSecond();
    end(
        new MeasurementRecord(
            id, fp, ts, List.of(), Optional.of(new Failed(reason, detail)), givenBw),
        OptionalDouble.empty());
  }

  private void end(MeasurementRecord record, OptionalDouble estimate) {
    phase = MeasurementPhase.FINISHING;
    setupTimer.cancel();
    activeTimer.cancel();
    bgGapTimer.cancel();
    gapTimers.values().forEach(Cancellable::cancel);
    gapTimers.clear();
    owner.ended(this, record, estimate);
  }

  private String names() {
    return String.join(",", links.keySet());
  }

  private static FailReason reasonFor(TorFailure f) {
    return switch (f.kind()) {
      case ERROR, MALFORMED -> FailReason.TOR_ERROR;
      case TIMEOUT -> FailReason.TOR_TIMEOUT;
      case LOST -> FailReason.TOR_LOST;
    };
  }

  /** When the newest two reports of one source came (the coordinator's time). */
  private static final class LastReports {
    // loop.nanoTime(), not the wall clock: a clock step must not make a report look older or newer
    private boolean any;
    private boolean two;
    private long previous;
    private long last;

    void add(long at) {
      two = any;
      any = true;
      previous = last;
      last = at;
    }

    long last() {
      return last;
    }

    boolean any() {
      return any;
    }

    /**
     * Whether two reports came after {@code since}. Reports come once a second, so one could be
     * from a source that stopped a moment after the silent one (a stall of the coordinator or of
     * its network stops them all); two mean it went on.
     */
    boolean twoSince(long since) {
      return two && previous - since > 0;
    }
  }

  /** A tor command's completion that only counts while the measurement has not ended. */
  private final class Step<T> implements TorCallback<T> {
    private final String command;
    private final Consumer<T> next;

    Step(String command, Consumer<T> next) {
      this.command = command;
      this.next = next;
    }

    @Override
    public void onSuccess(T result) {
      if (!ended()) {
        next.accept(result);
      }
    }

    @Override
    public void onError(TorFailure failure) {
      if (!ended()) {
        fail(reasonFor(failure), command + ": " + failure.detail());
      }
    }
  }
}
