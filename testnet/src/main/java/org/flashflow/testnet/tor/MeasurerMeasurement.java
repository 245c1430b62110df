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
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.relay.Cells;
import org.flashflow.testnet.relay.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement at a measurer's tor: its circuits (one TLS connection each), the active phase's
 * pumping, and the per-second {@code FF_MEAS BW_REPORT}s of what was sent and what came back. On
 * the measurer tor's loop.
 */
final class MeasurerMeasurement {
  private static final Logger log = LoggerFactory.getLogger(MeasurerMeasurement.class);
  private static final Duration PUMP_TICK = Duration.ofMillis(10);
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(32 * 1024, 128 * 1024);

  enum State {
    LAUNCHED,
    BUILT,
    FAILED,
    CLOSED
  }

  /** One circuit and its connection. */
  static final class Circ {
    final Circuit circuit;
    State state = State.LAUNCHED;
    Channel channel;
    PumpHandler pump;

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
  private final List<Circ> circs = new ArrayList<>();
  private TokenBucket bwBucket;
  private boolean active;
  private boolean finished;
  private long startNanos;
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
      Duration maxMeasDuration) {
    this.tor = tor;
    this.id = id;
    this.relay = relay;
    this.dur = dur;
    this.bw = bw;
    this.nanoTime = nanoTime;
    this.circuitTimeout = circuitTimeout;
    this.maxMeasDuration = maxMeasDuration;
  }

  long id() {
    return id;
  }

  void add(Circuit c) {
    circs.add(new Circ(c));
  }

  /** Emits LAUNCHED for every circuit and opens their connections. */
  void launch() {
    log.info(
        "measurer {} tor: measurement {}: opening {} connections to {}",
        tor.name(),
        id,
        circs.size(),
        relay.nickname());
    int window = Math.max(4, Math.min(64, 1024 / circs.size()));
    Bootstrap b =
        new Bootstrap()
            .group(tor.loop())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) circuitTimeout.toMillis())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .option(ChannelOption.TCP_NODELAY, true);
    for (Circ c : circs) {
      tor.emit("CIRC", c.circuit.launched());
      c.pump = new PumpHandler(this, c, window);
      ChannelFuture f =
          b.clone()
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      SslHandler tls =
                          tor.tls().newHandler(ch.alloc(), relay.address(), relay.orPort());
                      tls.setHandshakeTimeout(circuitTimeout.toMillis(), TimeUnit.MILLISECONDS);
                      ch.pipeline().addLast("tls", tls).addLast("pump", c.pump);
                    }
                  })
              .connect(new InetSocketAddress(relay.address(), relay.orPort()));
      c.channel = f.channel();
      f.addListener(
          done -> {
            if (!done.isSuccess()) {
              failed(
                  c, done.cause() instanceof ConnectTimeoutException ? "TIMEOUT" : "CONNECTFAILED");
            }
          });
    }
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
    long tick = PUMP_TICK.toNanos();
    pumpTicker = tor.loop().scheduleAtFixedRate(this::pumpAll, tick, tick, TimeUnit.NANOSECONDS);
    tor.loop().execute(this::pumpAll);
    return "250 OK";
  }

  boolean active() {
    return active;
  }

  /** Cells a connection may send now, at most {@code wanted}: the BW cap's share. */
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

  void built(Circ c) {
    if (c.state != State.LAUNCHED || finished) {
      return;
    }
    c.state = State.BUILT;
    tor.emit("CIRC", c.circuit.extended());
    tor.emit("CIRC", c.circuit.built());
  }

  void failed(Circ c, String reason) {
    if (c.state != State.LAUNCHED) {
      return;
    }
    c.state = State.FAILED;
    log.info(
        "measurer {} tor: circuit {} to {} failed ({})",
        tor.name(),
        c.circuit.id(),
        relay.nickname(),
        reason);
    tor.emit("CIRC", c.circuit.failed(reason));
    c.channel.close();
  }

  void channelClosed(Circ c) {
    if (c.state == State.LAUNCHED) {
      failed(c, "CHANNEL_CLOSED");
      return;
    }
    if (c.state != State.BUILT) {
      return;
    }
    c.state = State.CLOSED;
    tor.emit("CIRC", c.circuit.closed(finished ? "FINISHED" : "CHANNEL_CLOSED"));
    if (active && circs.stream().noneMatch(x -> x.state == State.BUILT)) {
      log.info(
          "measurer {} tor: measurement {}: every connection to {} closed",
          tor.name(),
          id,
          relay.nickname());
      finish(false);
    }
  }

  private void pumpAll() {
    for (Circ c : circs) {
      if (c.state == State.BUILT) {
        c.pump.pump();
      }
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
      circs.forEach(c -> c.channel.close());
    }
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
    log.info("measurer {} tor: measurement {} ended, success={}", tor.name(), id, success);
    tor.emit("FF_MEAS", "650 FF_MEAS " + id + " END SUCCESS=" + (success ? "TRUE" : "FALSE"));
    circs.forEach(c -> c.channel.close());
  }
}
