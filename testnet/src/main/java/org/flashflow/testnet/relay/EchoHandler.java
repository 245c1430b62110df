package org.flashflow.testnet.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement connection at a relay, behind TLS: echoes whole cells as the relay's token bucket
 * allows. When tokens run out or the peer stops reading, it stops reading too, so TCP pushes back
 * on the measurer and the rate it sees is the relay's, not a buffer's.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EchoHandler.class);

  private final EmulatedRelay relay;
  private ChannelHandlerContext ctx;
  private ByteBuf pending;
  private boolean starved;
  private long cellIndex;

  EchoHandler(EmulatedRelay relay) {
    this.relay = relay;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    pending = ctx.alloc().buffer(64 * Cells.SIZE);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    relay.opened(this);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    relay.closed(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      pending.writeBytes(in);
    } finally {
      in.release();
    }
    forward();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    forward();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "relay {}: closing connection from {}: {}",
        relay.spec().nickname(),
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  /** The relay's tick found tokens again. */
  void tokensAvailable() {
    starved = false;
    forward();
  }

  void close() {
    ctx.close();
  }

  private void forward() {
    if (pending == null || !ctx.channel().isActive()) {
      return;
    }
    int cells = pending.readableBytes() / Cells.SIZE;
    if (cells > 0 && !starved && ctx.channel().isWritable()) {
      int n = relay.takeCells(cells);
      if (n > 0) {
        echo(n);
      }
      if (n < cells) {
        starved = true;
        relay.starved(this);
      }
    }
    pending.discardSomeReadBytes();
    // Read on only while there is room to forward what arrives.
    boolean room =
        !starved && ctx.channel().isWritable() && pending.readableBytes() < 64 * Cells.SIZE;
    ctx.channel().config().setAutoRead(room);
  }

  private void echo(int n) {
    if (!relay.drops()) {
      ctx.writeAndFlush(pending.readRetainedSlice(n * Cells.SIZE));
      return;
    }
    for (int i = 0; i < n; i++) {
      if (cellIndex++ % 2 == 0) {
        ctx.write(pending.readRetainedSlice(Cells.SIZE));
      } else {
        pending.skipBytes(Cells.SIZE);
      }
    }
    ctx.flush();
  }
}
