package org.flashflow.testnet.path;

import java.util.random.RandomGenerator;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.Latency;

/**
 * A measurer's view of one circuit to a relay: its package window (tor's circuit flow control) and
 * the path's delay each way. Cells the window allows are sent into the outbound line and come out
 * at the relay half a round trip later; what the relay sends back (echoed cells and its SENDMEs)
 * goes into the inbound line and is delivered half a round trip after that. So one circuit carries
 * at most a window of cells per round trip. Pure, not thread-safe.
 */
public final class CircuitPath {
  private final CircuitFlow flow;
  private final DelayLine outbound;
  private final DelayLine inbound;

  /**
   * @param latency the whole path's (measurer's plus relay's)
   */
  public CircuitPath(Latency latency, FlowControl flowControl, RandomGenerator random) {
    long oneWay = latency.rtt().toNanos() / 2;
    long jitter = latency.jitter().toNanos() / 2;
    this.flow = new CircuitFlow(flowControl);
    this.outbound = new DelayLine(oneWay, jitter, random);
    this.inbound = new DelayLine(oneWay, jitter, random);
  }

  /** Cells the package window allows now. */
  public int window() {
    return flow.window();
  }

  /** Sends {@code cells} (at most {@link #window()}) at {@code now}. */
  public void send(long now, int cells) {
    flow.packaged(cells);
    outbound.add(now, cells, 0);
  }

  /** Cells that reach the relay at {@code now}: write them to its connection. */
  public long arrivedAtRelay(long now) {
    return outbound.poll(now).cells();
  }

  /** The relay sent back {@code cells} echoed cells and {@code sendmes} SENDMEs at {@code now}. */
  public void fromRelay(long now, long cells, long sendmes) {
    inbound.add(now, cells, sendmes);
  }

  /**
   * Delivers what reached the measurer by {@code now}: each SENDME opens the window.
   *
   * @return echoed cells delivered
   */
  public long deliver(long now) {
    DelayLine.Batch b = inbound.poll(now);
    for (long i = 0; i < b.sendmes(); i++) {
      flow.sendmeReceived();
    }
    return b.cells();
  }

  /** When the next cells come out of either line; {@link Long#MAX_VALUE} if none are inside. */
  public long nextDue() {
    return Math.min(outbound.nextDue(), inbound.nextDue());
  }
}
