package org.flashflow.testnet.tor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.util.List;
import org.flashflow.testnet.Cells;
import org.flashflow.testnet.path.CircuitPath;

/**
 * A measurer tor's end of one measurement's channel to a relay (one TLS connection carrying every
 * circuit), with each circuit's path in front of it ({@link CircuitPath}: the round trip each way,
 * tor's circuit window). Sends measurement cells as the windows and the BW cap allow; they reach
 * the relay's end half a round trip later and are written to the channel in turn, a few cells per
 * circuit at a time, as tor's circuit scheduler interleaves circuits. What the relay sends back
 * (echoed cells, SENDMEs) counts half a round trip after it arrived. Counts bytes sent and received
 * for the measurement.
 */
final class PumpHandler extends ChannelInboundHandlerAdapter {
  /** Cells written per buffer, and per circuit per turn. */
  private static final int WRITE_CELLS = 64;

  private static final int TURN_CELLS = 8;

  /** At most this many cells per call, so that no step holds the loop for long. */
  private static final int STEP_CELLS = 4096;

  private final MeasurerMeasurement m;
  private final CircuitPath[] paths;
  private final long[] unwritten;
  private final long[] readData;
  private final long[] readSendmes;
  private final int[] touched;
  private int touchedCount;
  private long totalUnwritten;
  private int turn;
  private ChannelHandlerContext ctx;
  private int posInCell;
  private byte command;
  private int circuit;

  PumpHandler(MeasurerMeasurement m, List<CircuitPath> paths) {
    this.m = m;
    this.paths = paths.toArray(new CircuitPath[0]);
    int n = this.paths.length;
    this.unwritten = new long[n];
    this.readData = new long[n];
    this.readSendmes = new long[n];
    this.touched = new int[n];
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e) {
      if (e.isSuccess()) {
        m.built();
        step();
      } else {
        m.failed(e.cause() instanceof SslHandshakeTimeoutException ? "TIMEOUT" : "CHANNEL_CLOSED");
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    m.channelClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      int i = in.readerIndex();
      int end = in.writerIndex();
      while (i < end) {
        if (posInCell < Cells.HEADER) {
          // The header may straddle reads: command, then the circuit index byte by byte.
          byte b = in.getByte(i++);
          if (posInCell == 0) {
            command = b;
            circuit = 0;
          } else {
            circuit = (circuit << 8) | (b & 0xff);
          }
          if (++posInCell == Cells.HEADER && !count()) {
            ctx.close();
            return;
          }
          continue;
        }
        int step = Math.min(Cells.SIZE - posInCell, end - i);
        i += step;
        posInCell = (posInCell + step) % Cells.SIZE;
      }
    } finally {
      in.release();
    }
    long now = m.now();
    boolean active = m.active();
    for (int k = 0; k < touchedCount; k++) {
      int c = touched[k];
      paths[c].fromRelay(now, readData[c], readSendmes[c]);
      readData[c] = 0;
      readSendmes[c] = 0;
      // Without a round trip this delivers at once and refills the window; else the tick does.
      step(c, now, active);
    }
    touchedCount = 0;
    write();
  }

  /** Counts the cell whose header was just read; false if it names no circuit of ours. */
  private boolean count() {
    if (circuit < 0 || circuit >= paths.length) {
      return false;
    }
    if (readData[circuit] == 0 && readSendmes[circuit] == 0) {
      touched[touchedCount++] = circuit;
    }
    if (command == Cells.SENDME) {
      readSendmes[circuit]++;
    } else {
      readData[circuit]++;
    }
    return true;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    step();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /**
   * For every circuit: counts what reached the measurer by now (SENDMEs open the window), sends
   * what the window and the BW cap allow; then writes what reached the relay to the channel.
   */
  void step() {
    if (ctx == null || !ctx.channel().isActive()) {
      return;
    }
    long now = m.now();
    boolean active = m.active();
    for (int i = 0; i < paths.length; i++) {
      step(i, now, active);
    }
    write();
  }

  private void step(int i, long now, boolean active) {
    CircuitPath p = paths[i];
    if (p.nextDue() - now <= 0) {
      long delivered = p.deliver(now);
      if (delivered > 0) {
        m.received(delivered * Cells.SIZE);
      }
      add(i, p.arrivedAtRelay(now));
    }
    if (active && p.window() > 0) {
      int n = m.allowCells(p.window());
      if (n > 0) {
        p.send(now, n);
        m.sent((long) n * Cells.SIZE);
        add(i, p.arrivedAtRelay(now)); // at once when there is no round trip
      }
    }
  }

  private void add(int circ, long cells) {
    unwritten[circ] += cells;
    totalUnwritten += cells;
  }

  /**
   * Writes cells that reached the relay while the channel takes them, circuits in turn; the rest
   * wait here, as counts, as they would wait in the relay's queues.
   */
  private void write() {
    int budget = STEP_CELLS;
    boolean wrote = false;
    while (totalUnwritten > 0 && budget > 0 && ctx.channel().isWritable()) {
      int cells = (int) Math.min(Math.min(totalUnwritten, WRITE_CELLS), budget);
      ByteBuf out = ctx.alloc().buffer(cells * Cells.SIZE);
      int left = cells;
      while (left > 0) {
        int c = turn;
        turn = (turn + 1) % paths.length;
        int k = (int) Math.min(Math.min(unwritten[c], TURN_CELLS), left);
        for (int j = 0; j < k; j++) {
          Cells.write(out, Cells.DATA, c);
        }
        unwritten[c] -= k;
        left -= k;
      }
      totalUnwritten -= cells;
      budget -= cells;
      ctx.write(out);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }
}
