package org.flashflow.testnet.tor;

import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.flashflow.testnet.Directory;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.control.ControlPort;
import org.flashflow.testnet.control.ControlSession;
import org.flashflow.testnet.control.Extensions;

/**
 * A measurer's tor: {@code MEASR_START_MEAS} (docs/protocol.md section 3). The first command opens
 * {@code n_circs} TLS connections to the relay's OR port and reports each circuit by CIRC events;
 * the second starts pumping echo cells over the built ones and reports once a second. State lives
 * on this tor's control-port loop, which also carries the connections.
 */
public final class EmulatedMeasurerTor implements Extensions {
  private static final String CMD = "MEASR_START_MEAS";

  private final String name;
  private final ControlPort port;
  private final EventLoop loop;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Directory directory;
  private final SslContext tls;
  private final Duration circuitTimeout;
  private final Duration maxMeasDuration;
  private final Latency latency;
  private final FlowControl flow;
  private final Map<Long, MeasurerMeasurement> live = new HashMap<>();
  private long nextCirc = 1;

  /**
   * @param tls trusts the relays' OR-port certificate
   * @param latency this measurer's share of the round trip to every relay
   * @param flow tor's circuit windows, for every circuit this tor opens
   */
  public EmulatedMeasurerTor(
      String name,
      ControlPort port,
      EventLoop loop,
      Clock clock,
      LongSupplier nanoTime,
      Directory directory,
      SslContext tls,
      Duration circuitTimeout,
      Duration maxMeasDuration,
      Latency latency,
      FlowControl flow) {
    this.name = name;
    this.port = port;
    this.loop = loop;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.directory = directory;
    this.tls = tls;
    this.circuitTimeout = circuitTimeout;
    this.maxMeasDuration = maxMeasDuration;
    this.latency = latency;
    this.flow = flow;
  }

  @Override
  public boolean handle(String keyword, List<String> args, ControlSession session) {
    if (!keyword.equals(CMD)) {
      return false;
    }
    try {
      if (args.size() != 4 && args.size() != 5) {
        throw new Args.BadArgument(
            "512 Expected 4 or 5 arguments to " + CMD + " (meas_id fp n_circs dur [BW=bytes/s])");
      }
      long id = Args.number(CMD, "measurement id", args.get(0), 1, 0xFFFFFFFFL);
      String fp = Args.fingerprint(CMD, args.get(1));
      int nCircs = (int) Args.number(CMD, "circuit count", args.get(2), 1, 10_000);
      int dur = (int) Args.number(CMD, "duration", args.get(3), 1, 3600);
      OptionalLong bw = OptionalLong.empty();
      if (args.size() == 5) {
        String a = args.get(4);
        if (!a.regionMatches(true, 0, "BW=", 0, 3)) {
          throw new Args.BadArgument("512 Unexpected argument \"" + a + "\" to " + CMD);
        }
        bw = OptionalLong.of(Args.number(CMD, "BW", a.substring(3), 1, Long.MAX_VALUE / 1000));
      }
      MeasurerMeasurement m = live.get(id);
      session.send(m == null ? setUp(id, fp, nCircs, dur, bw) : m.start(fp, dur, bw));
    } catch (Args.BadArgument e) {
      session.send(e.getMessage());
    }
    return true;
  }

  private String setUp(long id, String fp, int nCircs, int dur, OptionalLong bw) {
    RelayEntry relay = directory.byFingerprint(fp).orElse(null);
    if (relay == null) {
      return Args.noSuchRouter(fp);
    }
    MeasurerMeasurement m =
        new MeasurerMeasurement(
            this, id, relay, dur, bw, nanoTime, circuitTimeout, maxMeasDuration, latency, flow);
    live.put(id, m);
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < nCircs; i++) {
      Circuit c = new Circuit(nextCirc++, relay, clock.instant());
      m.add(c);
      ids.append(i == 0 ? "" : ",").append(c.id());
    }
    // After the reply: the circuits' events, then their connections.
    loop.execute(m::launch);
    return "250 FF_MEAS " + id + " LAUNCHED CIRCS=" + ids;
  }

  String name() {
    return name;
  }

  EventLoop loop() {
    return loop;
  }

  SslContext tls() {
    return tls;
  }

  void emit(String event, String line) {
    port.emit(event, line);
  }

  void forget(MeasurerMeasurement m) {
    live.remove(m.id(), m);
  }
}
