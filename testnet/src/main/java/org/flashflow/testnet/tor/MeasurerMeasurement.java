package org.flashflow.testnet.tor;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.flashflow.testnet.Cells;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.path.CircuitPath;
import org.flashflow.testnet.relay.CarriedSummary;
import org.flashflow.testnet.relay.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement at a measurer's tor: its circuits, multiplexed as in tor over one TLS connection
 * (a channel) to the relay's OR port, each behind an emulated path with the measurer's and the
 * relay's round trip and tor's circuit window; the active phase's pumping; and the per-second
 * {@code FF_MEAS BW_REPORT}s of what was sent and what came back. The circuits are built when the
 * channel's handshake completes, and fail or close with it. On the measurer tor's loop.
 */
final class MeasurerMeasurement {
  private static final Logger log = LoggerFactory.getLogger(MeasurerMeasurement.class);
  // Over loopback the tick only refills the BW cap; with a round trip it also releases the delayed
  // cells, to the millisecond.
  private static final Duration PUMP_TICK = Duration.ofMillis(10);
  private static final Duration PATH_TICK = Duration.ofMillis(1);
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  enum State {
    LAUNCHED,
    BUILT,
    FAILED,
    CLOSED
  }

  /** One circuit: its CIRC events' state. */
  static final class Circ {
    final Circuit circuit;
    State state = State.LAUNCHED;

    Circ(Circuit circuit) {
      this.circuit = circuit;
    }
  }

  private final EmulatedMeasurerTor tor;
  private final long id;
  private final RelayEntry relay;
  private final int dur;
  private final OptionalLong bw;
  private final LongSupplier nanoTime;
  private final Duration circuitTimeout;
  private final Duration maxMeasDuration;
  private final Latency latency;
  private final FlowControl flow;
  private final List<Circ> circs = new ArrayList<>();
  private Channel channel;
  private PumpHandler pump;
  private TokenBucket bwBucket;
  private boolean active;
  private boolean finished;
  private long startNanos;
  private long lastTick;
  private long stalledNanos;
  private int reports;
  private long intervalSent;
  private long intervalRecv;
  private ScheduledFuture<?> timer;
  private ScheduledFuture<?> pumpTicker;

  MeasurerMeasurement(
      EmulatedMeasurerTor tor,
      long id,
      RelayEntry relay,
      int dur,
      OptionalLong bw,
      LongSupplier nanoTime,
      Duration circuitTimeout,
      Duration maxMeasDuration,
      Latency measurerLatency,
      FlowControl flow) {
    this.tor = tor;
    this.id = id;
    this.relay = relay;
    this.dur = dur;
    this.bw = bw;
    this.nanoTime = nanoTime;
    this.circuitTimeout = circuitTimeout;
    this.maxMeasDuration = maxMeasDuration;
    this.latency = relay.spec().latency().plus(measurerLatency);
    this.flow = flow;
  }

  long id() {
    return id;
  }

  void add(Circuit c) {
    circs.add(new Circ(c));
  }

  /** Emits LAUNCHED for every circuit and opens the channel that carries them. */
  void launch() {
    log.info(
        "measurer {} tor: measurement {}: {} circuits to {} (rtt {} ms, jitter {} ms)",
        tor.name(),
        id,
        circs.size(),
        relay.nickname(),
        latency.rtt().toMillis(),
        latency.jitter().toMillis());
    List<CircuitPath> paths = new ArrayList<>();
    for (Circ c : circs) {
      tor.emit("CIRC", c.circuit.launched());
      // Seeded by measurement and circuit: a run's jitter does not depend on the wall clock.
      paths.add(
          new CircuitPath(latency, flow, new SplittableRandom(id * 1_000_003L + c.circuit.id())));
    }
    pump = new PumpHandler(this, paths);
    ChannelFuture f =
        new Bootstrap()
            .group(tor.loop())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) circuitTimeout.toMillis())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .option(ChannelOption.TCP_NODELAY, true)
            // Closing drops what the windows queued (see closeNow), as a reset.
            .option(ChannelOption.SO_LINGER, 0)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    SslHandler tls =
                        tor.tls().newHandler(ch.alloc(), relay.address(), relay.orPort());
                    tls.setHandshakeTimeout(circuitTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    ch.pipeline().addLast("tls", tls).addLast("pump", pump);
                  }
                })
            .connect(new InetSocketAddress(relay.address(), relay.orPort()));
    channel = f.channel();
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            failed(done.cause() instanceof ConnectTimeoutException ? "TIMEOUT" : "CONNECTFAILED");
          }
        });
    timer = tor.loop().schedule(this::expire, maxMeasDuration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The second MEASR_START_MEAS; returns the reply line. */
  String start(String fp, int dur, OptionalLong bw) {
    if (!fp.equals(relay.fingerprint()) || dur != this.dur) {
      return "552 Measurement " + id + " was set up with other arguments";
    }
    if (active || finished) {
      return "552 Measurement " + id + " is already active";
    }
    if (circs.stream().noneMatch(c -> c.state == State.BUILT)) {
      return "552 No circuit of measurement " + id + " is built";
    }
    active = true;
    OptionalLong rate = bw.isPresent() ? bw : this.bw;
    if (rate.isPresent()) {
      long r = rate.getAsLong();
      bwBucket = new TokenBucket(r, Math.max(r / 20, 4L * Cells.SIZE), nanoTime.getAsLong());
    }
    timer.cancel(false);
    startNanos = nanoTime.getAsLong();
    intervalSent = 0;
    intervalRecv = 0;
    log.info(
        "measurer {} tor: measurement {} active on {} circuits for {} s{}",
        tor.name(),
        id,
        circs.stream().filter(c -> c.state == State.BUILT).count(),
        dur,
        rate.isPresent() ? " at most " + rate.getAsLong() + " B/s" : "");
    scheduleReport();
    long tick = (latency.isZero() ? PUMP_TICK : PATH_TICK).toNanos();
    lastTick = startNanos;
    pumpTicker = tor.loop().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
    tor.loop().execute(pump::step);
    return "250 OK";
  }

  /**
   * The pump's tick. A tick far behind its time means this loop got no CPU meanwhile (a busy
   * machine): the measurer tor could neither send nor count, and that is counted.
   */
  private void tick() {
    long now = nanoTime.getAsLong();
    if (now - lastTick > CarriedSummary.STALL_NANOS) {
      stalledNanos += now - lastTick;
    }
    lastTick = now;
    pump.step();
  }

  boolean active() {
    return active;
  }

  long now() {
    return nanoTime.getAsLong();
  }

  /** Cells the circuits may send now, at most {@code wanted}: the BW cap's share. */
  int allowCells(int wanted) {
    if (bwBucket == null) {
      return wanted;
    }
    return (int) bwBucket.takeUnits(wanted, Cells.SIZE, nanoTime.getAsLong());
  }

  void sent(long bytes) {
    intervalSent += bytes;
  }

  void received(long bytes) {
    if (active) {
      intervalRecv += bytes;
    }
  }

  /** The channel's handshake completed: every circuit is built. */
  void built() {
    if (finished) {
      return;
    }
    for (Circ c : circs) {
      if (c.state == State.LAUNCHED) {
        c.state = State.BUILT;
        tor.emit("CIRC", c.circuit.extended());
        tor.emit("CIRC", c.circuit.built());
      }
    }
  }

  /** The channel could not be opened: every circuit fails. */
  void failed(String reason) {
    boolean any = false;
    for (Circ c : circs) {
      if (c.state == State.LAUNCHED) {
        c.state = State.FAILED;
        tor.emit("CIRC", c.circuit.failed(reason));
        any = true;
      }
    }
    if (any) {
      log.info(
          "measurer {} tor: measurement {}: {} circuits to {} failed ({})",
          tor.name(),
          id,
          circs.size(),
          relay.nickname(),
          reason);
    }
    channel.close();
  }

  /** The channel closed: its built circuits close with it. */
  void channelClosed() {
    if (circs.stream().anyMatch(c -> c.state == State.LAUNCHED)) {
      failed("CHANNEL_CLOSED");
    }
    boolean wasBuilt = false;
    for (Circ c : circs) {
      if (c.state == State.BUILT) {
        c.state = State.CLOSED;
        tor.emit("CIRC", c.circuit.closed(finished ? "FINISHED" : "CHANNEL_CLOSED"));
        wasBuilt = true;
      }
    }
    if (active && wasBuilt) {
      log.info(
          "measurer {} tor: measurement {}: the channel to {} closed",
          tor.name(),
          id,
          relay.nickname());
      finish(false);
    }
  }

  private void scheduleReport() {
    long due = startNanos + (reports + 1) * 1_000_000_000L;
    long delay = Math.max(0, due - nanoTime.getAsLong());
    timer = tor.loop().schedule(this::report, delay, TimeUnit.NANOSECONDS);
  }

  private void report() {
    if (!active) {
      return;
    }
    tor.emit(
        "FF_MEAS",
        "650 FF_MEAS " + id + " BW_REPORT SENT=" + intervalSent + " RECV=" + intervalRecv);
    intervalSent = 0;
    intervalRecv = 0;
    reports++;
    if (reports >= dur) {
      finish(true);
    } else {
      scheduleReport();
    }
  }

  private void expire() {
    if (!active && !finished) {
      log.info(
          "measurer {} tor: measurement {} never started; closing its circuits", tor.name(), id);
      finished = true;
      tor.forget(this);
      closeNow();
    }
  }

  /**
   * Closes the channel at once. The circuits' windows may have queued megabytes for a slow relay; a
   * TLS close would first wait for them to drain (and time out), and the relay would go on echoing
   * them. So the TLS layer goes first, with what it holds, and the socket resets.
   */
  private void closeNow() {
    if (channel.pipeline().get("tls") != null) {
      channel.pipeline().remove("tls");
    }
    channel.close();
  }

  private void finish(boolean success) {
    active = false;
    finished = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (pumpTicker != null) {
      pumpTicker.cancel(false);
    }
    tor.forget(this);
    // The stall in the line's CarriedSummary form: the demo reads it as the relay's.
    log.info(
        "measurer {} tor: measurement {} ended, success={}; loop stalled {} ms",
        tor.name(),
        id,
        success,
        stalledNanos / 1_000_000);
    tor.emit("FF_MEAS", "650 FF_MEAS " + id + " END SUCCESS=" + (success ? "TRUE" : "FALSE"));
    closeNow();
  }
}
