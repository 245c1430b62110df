package org.flashflow.testnet.tor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.flashflow.testnet.relay.Cells;

/**
 * A measurer tor's end of one measurement connection, behind TLS. Keeps at most {@code window}
 * cells in flight, so the rate is set by how fast the relay echoes, not by buffers; each cell
 * carries a sequence number, and the newest echoed one tells how many are still out, even when the
 * relay drops some. Counts bytes sent and received for the measurement.
 */
final class PumpHandler extends ChannelInboundHandlerAdapter {
  private static final int SEQ_BYTES = 8;

  private final MeasurerMeasurement m;
  private final MeasurerMeasurement.Circ circ;
  private final int window;
  private ChannelHandlerContext ctx;
  private ByteBuf partial;
  private long nextSeq;
  private long lastEchoed = -1;

  PumpHandler(MeasurerMeasurement m, MeasurerMeasurement.Circ circ, int window) {
    this.m = m;
    this.circ = circ;
    this.window = window;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    partial = ctx.alloc().buffer(2 * Cells.SIZE);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    partial.release();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e) {
      if (e.isSuccess()) {
        m.built(circ);
        pump();
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
    try {
      m.received(in.readableBytes());
      // Only each cell's sequence number matters; keep at most one partial cell.
      while (in.isReadable()) {
        int inCell = partial.readableBytes();
        if (inCell < SEQ_BYTES) {
          partial.writeBytes(in, Math.min(SEQ_BYTES - inCell, in.readableBytes()));
          inCell = partial.readableBytes();
          if (inCell == SEQ_BYTES) {
            lastEchoed = partial.getLong(partial.readerIndex());
          }
        }
        int skip = Math.min(Cells.SIZE - inCell, in.readableBytes());
        in.skipBytes(skip);
        partial.writeZero(skip);
        if (partial.readableBytes() == Cells.SIZE) {
          partial.clear();
        }
      }
    } finally {
      in.release();
    }
    pump();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    pump();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /** Sends as many cells as the window and the BW cap allow. */
  void pump() {
    if (!m.active() || ctx == null || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
      return;
    }
    long inFlight = nextSeq - 1 - lastEchoed;
    int want = (int) Math.max(0, window - inFlight);
    if (want == 0) {
      return;
    }
    int n = m.allowCells(want);
    if (n == 0) {
      return;
    }
    ByteBuf out = ctx.alloc().buffer(n * Cells.SIZE);
    for (int i = 0; i < n; i++) {
      out.writeLong(nextSeq++);
      out.writeZero(Cells.SIZE - SEQ_BYTES);
    }
    m.sent((long) n * Cells.SIZE);
    ctx.writeAndFlush(out);
  }
}
