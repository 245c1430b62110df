package org.flashflow.testnet.relay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Cells;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.RelaySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay's traffic and measurement state, owned by the relay event loop: a token bucket of its
 * capacity shared by echoed measurement cells and an emulated background load (steady or in bursts,
 * {@link OnOffLoad}), a second bucket for its CPU ({@code cpu} cells per second, if limited), the
 * background throttle while measured (at most r of all traffic, docs/protocol.md section 5), and
 * the background reports, one per interval, {@code dur} times.
 *
 * <p>Every {@link #TICK} the background takes its share first (up to what clients want and what the
 * throttle allows), then connections that ran out of tokens resume. So when measurement traffic
 * saturates the relay, background still gets r of the total, as a real relay gives it.
 */
public final class EmulatedRelay {
  private static final Logger log = LoggerFactory.getLogger(EmulatedRelay.class);
  static final Duration TICK = Duration.ofMillis(10);
  private static final long NANOS = 1_000_000_000L;

  private final RelaySpec spec;
  private final double r;
  private final EventLoop loop;
  private final LongSupplier nanoTime;
  private final Duration reportInterval;
  private final Duration maxMeasDuration;
  private final FlowControl flow;
  private final TokenBucket bucket;
  private final TokenBucket cpu;
  private final OnOffLoad load;
  private final Set<EchoHandler> connections = new LinkedHashSet<>();
  private final Set<EchoHandler> starved = new LinkedHashSet<>();
  private long wakeRound;
  private long lastTick;
  private CarriedSummary lastSummary;
  private long bgBacklog;
  private long intervalBg;
  private long intervalMeas;
  private Meas meas;
  private ScheduledFuture<?> ticker;

  /** The measurement this relay accepted (pending) or is in (active); one at a time. */
  private static final class Meas {
    final long id;
    final int dur;
    final RelayEvents events;
    boolean active;
    long startNanos;
    int reports;
    ScheduledFuture<?> timer;
    final List<Long> carried = new ArrayList<>();
    long stalledNanos;

    Meas(long id, int dur, RelayEvents events) {
      this.id = id;
      this.dur = dur;
      this.events = events;
    }
  }

  /**
   * @param r the background fraction to enforce while measured
   * @param slowInterval the report interval of a {@link Behaviour#SLOW} relay
   * @param flow the circuit windows: this relay sends a SENDME per increment of cells taken in
   */
  public EmulatedRelay(
      RelaySpec spec,
      double r,
      EventLoop loop,
      LongSupplier nanoTime,
      Duration slowInterval,
      Duration maxMeasDuration,
      FlowControl flow) {
    this.spec = spec;
    this.r = r;
    this.loop = loop;
    this.nanoTime = nanoTime;
    this.reportInterval = spec.behaviour() == Behaviour.SLOW ? slowInterval : Duration.ofSeconds(1);
    this.maxMeasDuration = maxMeasDuration;
    this.flow = flow;
    long now = nanoTime.getAsLong();
    this.bucket = new TokenBucket(spec.capacity(), burst(spec.capacity()), now);
    long cpuRate = spec.effectiveCapacity() < spec.capacity() ? spec.cpuCells() * Cells.SIZE : 0;
    this.cpu = cpuRate > 0 ? new TokenBucket(cpuRate, burst(cpuRate), now) : null;
    // Seeded by the relay, so that a network's bursts are the same at every start.
    this.load =
        new OnOffLoad(
            spec.backgroundRate(),
            spec.backgroundSdRate(),
            spec.backgroundPeriod(),
            new SplittableRandom(spec.fingerprint().hashCode()),
            now);
  }

  private static long burst(long rate) {
    return Math.max(rate / 20, 16L * Cells.SIZE);
  }

  public RelaySpec spec() {
    return spec;
  }

  FlowControl flow() {
    return flow;
  }

  /** Starts the background load. On the loop. */
  public void start() {
    lastTick = nanoTime.getAsLong();
    ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops timers and drops every connection. On the loop. */
  public void stop() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    if (meas != null && meas.timer != null) {
      meas.timer.cancel(false);
    }
    meas = null;
    dropConnections();
  }

  /** The coordinator's tor builds its circuit and sends the measurement parameters. On the loop. */
  public void params(long measId, int dur, RelayEvents events) {
    if (spec.behaviour() == Behaviour.NEVER_BUILDS) {
      log.debug("relay {}: never building circuit for measurement {}", spec.nickname(), measId);
      return;
    }
    events.circuitBuilt(measId);
    if (spec.behaviour() == Behaviour.REFUSES) {
      log.info("relay {}: refusing measurement {} (behaviour refuses)", spec.nickname(), measId);
      events.paramsOk(measId, false);
      return;
    }
    if (meas != null && meas.active) {
      log.info(
          "relay {}: refusing measurement {}, already in {}", spec.nickname(), measId, meas.id);
      events.paramsOk(measId, false);
      return;
    }
    if (meas != null) {
      meas.timer.cancel(false); // a pending one that never started: replaced
    }
    Meas m = new Meas(measId, dur, events);
    m.timer = loop.schedule(() -> expire(m), maxMeasDuration.toNanos(), TimeUnit.NANOSECONDS);
    meas = m;
    events.paramsOk(measId, true);
  }

  /** The second COORD_START_MEAS: measured from now on. On the loop. */
  public void activate(long measId) {
    if (meas == null || meas.id != measId || meas.active) {
      log.debug("relay {}: no pending measurement {} to activate", spec.nickname(), measId);
      return;
    }
    meas.timer.cancel(false);
    meas.active = true;
    meas.startNanos = nanoTime.getAsLong();
    intervalBg = 0;
    intervalMeas = 0;
    log.info("relay {}: measurement {} active for {} s", spec.nickname(), measId, meas.dur);
    scheduleReport(meas);
  }

  private void expire(Meas m) {
    if (meas == m && !m.active) {
      log.info("relay {}: measurement {} never started; forgotten", spec.nickname(), m.id);
      meas = null;
    }
  }

  private void scheduleReport(Meas m) {
    long due = m.startNanos + (m.reports + 1) * reportInterval.toNanos();
    long delay = Math.max(0, due - nanoTime.getAsLong());
    m.timer = loop.schedule(() -> report(m), delay, TimeUnit.NANOSECONDS);
  }

  private void report(Meas m) {
    if (meas != m) {
      return;
    }
    if (spec.behaviour() == Behaviour.DIES && m.reports == m.dur / 2) {
      log.info("relay {}: dying in the middle of measurement {}", spec.nickname(), m.id);
      meas = null;
      m.events.ended(m.id, false);
      dropConnections();
      return;
    }
    long perSecond = intervalBg * NANOS / reportInterval.toNanos();
    m.carried.add((intervalBg + intervalMeas) * NANOS / reportInterval.toNanos());
    long claim = spec.behaviour() == Behaviour.LIES ? 10 * spec.capacity() : perSecond;
    log.debug(
        "relay {}: measurement {} report {}: background {} (carried {}), measurement {}",
        spec.nickname(),
        m.id,
        m.reports,
        claim,
        intervalBg,
        intervalMeas);
    intervalBg = 0;
    intervalMeas = 0;
    m.reports++;
    m.events.bwReport(m.id, claim, claim);
    if (m.reports >= m.dur) {
      meas = null;
      // What the relay really forwarded: below its capacity when the emulator got too little CPU
      // to keep up (a busy machine), whatever FlashFlow made of it. The demo and tests read it.
      lastSummary =
          new CarriedSummary(
              spec.nickname(),
              m.id,
              spec.effectiveCapacity(),
              m.carried,
              m.stalledNanos / 1_000_000);
      log.info("{}", lastSummary.line());
      m.events.ended(m.id, true);
    } else {
      scheduleReport(m);
    }
  }

  private boolean measured() {
    return meas != null && meas.active;
  }

  /** Refills, lets the background take its share, then wakes starved connections. */
  void tick() {
    long now = nanoTime.getAsLong();
    // A tick far behind its time: this loop got no CPU meanwhile (a busy machine), so the relay
    // could not forward what it should have. Counted, so that such shortfalls are not taken for
    // FlashFlow's.
    long gap = now - lastTick;
    lastTick = now;
    if (measured() && gap > CarriedSummary.STALL_NANOS) {
      meas.stalledNanos += gap - TICK.toNanos();
    }
    if (spec.backgroundRate() > 0) {
      // Clients give up on what they could not send within 100 ms (of their peak rate).
      long cap = load.peakRate() / 10;
      bgBacklog = Math.min(cap, bgBacklog + load.demand(now));
      long allowed = bgBacklog;
      if (measured()) {
        long max = (long) Math.floor(r * intervalMeas / (1 - r));
        allowed = Math.max(0, Math.min(allowed, max - intervalBg));
      }
      long took = take(allowed, 1, now);
      bgBacklog -= took;
      intervalBg += took;
    }
    if (!starved.isEmpty()) {
      // Rotate who goes first, as tor's circuit scheduler does: woken in a fixed order, the
      // first connections would take every token and the measurers' shares would swing.
      List<EchoHandler> wake = new ArrayList<>(starved);
      starved.clear();
      int first = (int) (wakeRound++ % wake.size());
      for (int i = 0; i < wake.size(); i++) {
        wake.get((first + i) % wake.size()).tokensAvailable();
      }
    }
  }

  /**
   * Takes tokens for up to {@code cells} measurement cells.
   *
   * @return how many cells the relay may forward now
   */
  int takeCells(int cells) {
    long now = nanoTime.getAsLong();
    int n = (int) (take((long) cells * Cells.SIZE, Cells.SIZE, now) / Cells.SIZE);
    intervalMeas += (long) n * Cells.SIZE;
    return n;
  }

  /**
   * Takes up to {@code bytes} from the bandwidth and the CPU bucket alike, in whole multiples of
   * {@code unit} bytes; returns how many bytes were taken.
   */
  private long take(long bytes, int unit, long now) {
    long n = Math.min(bytes, bucket.available(now));
    if (cpu != null) {
      n = Math.min(n, cpu.available(now));
    }
    n -= n % unit;
    bucket.take(n, now);
    if (cpu != null) {
      cpu.take(n, now);
    }
    return n;
  }

  /** {@code h} has cells it could not forward; it is woken at the next tick. */
  void starved(EchoHandler h) {
    starved.add(h);
  }

  void opened(EchoHandler h) {
    connections.add(h);
  }

  void closed(EchoHandler h) {
    connections.remove(h);
    starved.remove(h);
  }

  private void dropConnections() {
    for (EchoHandler h : List.copyOf(connections)) {
      h.close();
    }
  }

  /** The summary of the last measurement that ended as planned, if any; for tests. */
  CarriedSummary lastSummary() {
    return lastSummary;
  }

  /** Whether this relay echoes every other cell only. */
  boolean drops() {
    return spec.behaviour() == Behaviour.DROPS;
  }
}
