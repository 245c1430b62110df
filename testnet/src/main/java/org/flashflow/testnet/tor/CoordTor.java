package org.flashflow.testnet.tor;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flashflow.testnet.Directory;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.control.ControlPort;
import org.flashflow.testnet.control.ControlSession;
import org.flashflow.testnet.control.Extensions;
import org.flashflow.testnet.relay.EmulatedRelay;
import org.flashflow.testnet.relay.RelayEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's tor: {@code COORD_START_MEAS} (docs/protocol.md sections 3 and 4). The first
 * command launches a one-hop circuit to the relay and sends it the parameters; the relay's answers
 * come back as CIRC and FF_MEAS events. The second makes the relay start its active phase, whose
 * background reports this tor passes on as {@code FF_MEAS BW_REPORT}. State lives on this tor's
 * control-port loop; relays are reached only by posting to the relay loop.
 */
public final class CoordTor implements Extensions {
  private static final Logger log = LoggerFactory.getLogger(CoordTor.class);
  private static final String CMD = "COORD_START_MEAS";

  private final ControlPort port;
  private final EventLoop loop;
  private final Clock clock;
  private final Directory directory;
  private final Map<String, EmulatedRelay> relays;
  private final EventLoop relayLoop;
  private final Duration circuitTimeout;
  private final Duration maxMeasDuration;
  private final Map<Long, Meas> live = new HashMap<>();
  private long nextCirc = 1;

  private enum Phase {
    BUILDING,
    PARAMS_SENT,
    ACCEPTED,
    ACTIVE
  }

  private static final class Meas {
    final long id;
    final RelayEntry relay;
    final int dur;
    final Circuit circ;
    Phase phase = Phase.BUILDING;
    ScheduledFuture<?> timer;

    Meas(long id, RelayEntry relay, int dur, Circuit circ) {
      this.id = id;
      this.relay = relay;
      this.dur = dur;
      this.circ = circ;
    }
  }

  /**
   * @param relays every emulated relay by fingerprint; they live on {@code relayLoop}
   * @param circuitTimeout when a circuit the relay never builds fails
   * @param maxMeasDuration how long an accepted measurement waits for its active phase
   */
  public CoordTor(
      ControlPort port,
      EventLoop loop,
      Clock clock,
      Directory directory,
      Map<String, EmulatedRelay> relays,
      EventLoop relayLoop,
      Duration circuitTimeout,
      Duration maxMeasDuration) {
    this.port = port;
    this.loop = loop;
    this.clock = clock;
    this.directory = directory;
    this.relays = Map.copyOf(relays);
    this.relayLoop = relayLoop;
    this.circuitTimeout = circuitTimeout;
    this.maxMeasDuration = maxMeasDuration;
  }

  @Override
  public boolean handle(String keyword, List<String> args, ControlSession session) {
    if (!keyword.equals(CMD)) {
      return false;
    }
    try {
      if (args.size() != 3) {
        throw new Args.BadArgument("512 Expected 3 arguments to " + CMD + " (meas_id fp dur)");
      }
      long id = Args.number(CMD, "measurement id", args.get(0), 1, 0xFFFFFFFFL);
      String fp = Args.fingerprint(CMD, args.get(1));
      int dur = (int) Args.number(CMD, "duration", args.get(2), 1, 3600);
      Meas m = live.get(id);
      session.send(m == null ? setUp(id, fp, dur) : start(m, fp, dur));
    } catch (Args.BadArgument e) {
      session.send(e.getMessage());
    }
    return true;
  }

  private String setUp(long id, String fp, int dur) {
    RelayEntry relay = directory.byFingerprint(fp).orElse(null);
    if (relay == null) {
      return Args.noSuchRouter(fp);
    }
    Meas m = new Meas(id, relay, dur, new Circuit(nextCirc++, relay, clock.instant()));
    live.put(id, m);
    log.info(
        "coordinator tor: measurement {} of {} ({}), circuit {}",
        id,
        relay.nickname(),
        fp,
        m.circ.id());
    // The reply goes out before any event about the circuit, as in stock tor.
    loop.execute(
        () -> {
          port.emit("CIRC", m.circ.launched());
          m.timer =
              loop.schedule(
                  () -> circuitTimedOut(m), circuitTimeout.toNanos(), TimeUnit.NANOSECONDS);
          EmulatedRelay r = relays.get(fp);
          Events events = new Events(m);
          relayLoop.execute(() -> r.params(id, dur, events));
        });
    return "250 LAUNCHED " + m.circ.id();
  }

  private String start(Meas m, String fp, int dur) {
    if (!m.relay.fingerprint().equals(fp) || m.dur != dur) {
      return "552 Measurement " + m.id + " was set up with other arguments";
    }
    if (m.phase == Phase.ACTIVE) {
      return "552 Measurement " + m.id + " is already active";
    }
    if (m.phase != Phase.ACCEPTED) {
      return "552 Measurement " + m.id + " is not accepted by the relay yet";
    }
    m.phase = Phase.ACTIVE;
    cancelTimer(m);
    EmulatedRelay r = relays.get(fp);
    relayLoop.execute(() -> r.activate(m.id));
    return "250 OK";
  }

  private static void cancelTimer(Meas m) {
    if (m.timer != null) {
      m.timer.cancel(false);
    }
  }

  private void circuitTimedOut(Meas m) {
    if (live.get(m.id) == m && m.phase == Phase.BUILDING) {
      log.info("coordinator tor: circuit {} to {} timed out", m.circ.id(), m.relay.nickname());
      live.remove(m.id);
      port.emit("CIRC", m.circ.failed("TIMEOUT"));
    }
  }

  private void expired(Meas m) {
    if (live.get(m.id) == m && m.phase == Phase.ACCEPTED) {
      log.info("coordinator tor: measurement {} was never started; closing its circuit", m.id);
      live.remove(m.id);
      port.emit("CIRC", m.circ.closed("FINISHED"));
    }
  }

  private boolean current(Meas m) {
    return live.get(m.id) == m;
  }

  private void onBuilt(Meas m) {
    if (!current(m) || m.phase != Phase.BUILDING) {
      return;
    }
    cancelTimer(m);
    m.phase = Phase.PARAMS_SENT;
    port.emit("CIRC", m.circ.extended());
    port.emit("CIRC", m.circ.built());
    port.emit("FF_MEAS", "650 FF_MEAS " + m.id + " PARAMS_SENT");
  }

  private void onParamsOk(Meas m, boolean accepted) {
    if (!current(m) || m.phase != Phase.PARAMS_SENT) {
      return;
    }
    port.emit(
        "FF_MEAS", "650 FF_MEAS " + m.id + " PARAMS_OK ACCEPTED=" + (accepted ? "TRUE" : "FALSE"));
    if (accepted) {
      m.phase = Phase.ACCEPTED;
      m.timer = loop.schedule(() -> expired(m), maxMeasDuration.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      live.remove(m.id);
      port.emit("CIRC", m.circ.closed("FINISHED"));
    }
  }

  private void onReport(Meas m, long sent, long recv) {
    if (current(m) && m.phase == Phase.ACTIVE) {
      port.emit("FF_MEAS", "650 FF_MEAS " + m.id + " BW_REPORT SENT=" + sent + " RECV=" + recv);
    }
  }

  private void onEnded(Meas m, boolean success) {
    if (!current(m)) {
      return;
    }
    live.remove(m.id);
    cancelTimer(m);
    log.info(
        "coordinator tor: measurement {} of {} ended, success={}",
        m.id,
        m.relay.nickname(),
        success);
    port.emit("FF_MEAS", "650 FF_MEAS " + m.id + " END SUCCESS=" + (success ? "TRUE" : "FALSE"));
    port.emit("CIRC", m.circ.closed(success ? "FINISHED" : "CHANNEL_CLOSED"));
  }

  /** The relay's messages for one measurement, carried over to this tor's loop. */
  private final class Events implements RelayEvents {
    private final Meas m;

    Events(Meas m) {
      this.m = m;
    }

    @Override
    public void circuitBuilt(long measId) {
      loop.execute(() -> onBuilt(m));
    }

    @Override
    public void paramsOk(long measId, boolean accepted) {
      loop.execute(() -> onParamsOk(m, accepted));
    }

    @Override
    public void bwReport(long measId, long sent, long recv) {
      loop.execute(() -> onReport(m, sent, recv));
    }

    @Override
    public void ended(long measId, boolean success) {
      loop.execute(() -> onEnded(m, success));
    }
  }
}
