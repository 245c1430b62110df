package org.flashflow.testnet.tor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.flashflow.testnet.path.CircuitPath;
import org.flashflow.testnet.relay.Cells;

/**
 * A measurer tor's end of one circuit (one TLS connection), with the path to the relay in front of
 * it ({@link CircuitPath}: the round trip each way, tor's circuit window). Sends measurement cells
 * as the window and the BW cap allow; they reach the relay's connection half a round trip later,
 * and what the relay sends back (echoed cells, SENDMEs) counts half a round trip after it arrived.
 * Counts bytes sent and received for the measurement.
 */
final class PumpHandler extends ChannelInboundHandlerAdapter {
  private final MeasurerMeasurement m;
  private final MeasurerMeasurement.Circ circ;
  private final CircuitPath path;
  private ChannelHandlerContext ctx;
  private int posInCell;
  private long unwritten;

  PumpHandler(MeasurerMeasurement m, MeasurerMeasurement.Circ circ, CircuitPath path) {
    this.m = m;
    this.circ = circ;
    this.path = path;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e) {
      if (e.isSuccess()) {
        m.built(circ);
        step();
      } else {
        m.failed(
            circ, e.cause() instanceof SslHandshakeTimeoutException ? "TIMEOUT" : "CHANNEL_CLOSED");
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    m.channelClosed(circ);
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    long data = 0;
    long sendmes = 0;
    try {
      // Only each cell's first byte matters: data or SENDME.
      int i = in.readerIndex();
      int end = in.writerIndex();
      while (i < end) {
        if (posInCell == 0) {
          if (in.getByte(i) == Cells.SENDME) {
            sendmes++;
          } else {
            data++;
          }
        }
        int step = Math.min(Cells.SIZE - posInCell, end - i);
        i += step;
        posInCell = (posInCell + step) % Cells.SIZE;
      }
    } finally {
      in.release();
    }
    path.fromRelay(m.now(), data, sendmes);
    step();
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
   * Counts what reached the measurer by now (SENDMEs open the window), sends what the window and
   * the BW cap allow, and writes what reached the relay to its connection.
   */
  void step() {
    if (ctx == null || !ctx.channel().isActive()) {
      return;
    }
    long now = m.now();
    long delivered = path.deliver(now);
    if (delivered > 0) {
      m.received(delivered * Cells.SIZE);
    }
    if (m.active() && path.window() > 0) {
      int n = m.allowCells(path.window());
      if (n > 0) {
        path.send(now, n);
        m.sent((long) n * Cells.SIZE);
      }
    }
    unwritten += path.arrivedAtRelay(now);
    write();
  }

  /**
   * Writes cells that reached the relay while its connection takes them; the rest wait here, as a
   * count, as they would wait in the relay's queue.
   */
  private void write() {
    boolean wrote = false;
    while (unwritten > 0 && ctx.channel().isWritable()) {
      int n = (int) Math.min(unwritten, Cells.BATCH);
      ctx.write(Cells.dataCells(n));
      unwritten -= n;
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }
}
