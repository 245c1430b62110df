package org.flashflow.testnet.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.flashflow.testnet.Cells;
import org.flashflow.testnet.path.CircuitFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement connection (one circuit) at a relay, behind TLS: echoes whole cells as the
 * relay's token buckets allow, and for every {@code sendme_increment} cells it took in sends the
 * measurer a circuit SENDME, which opens the measurer's window (tor-spec 7.4). When tokens run out
 * or the peer stops reading, it stops reading too, so TCP pushes back on the measurer and the rate
 * it sees is the relay's, not a buffer's. SENDMEs take no tokens: they are 1% of the cells and
 * tor's own overhead, not the capacity being measured.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EchoHandler.class);

  private final EmulatedRelay relay;
  private CircuitFlow[] flows = new CircuitFlow[16];
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

  /** Echoes (or, dropping, half-echoes) {@code n} cells taken in, then the SENDMEs they earn. */
  private void echo(int n) {
    ByteBuf sendmes = null;
    int start = pending.readerIndex();
    for (int i = 0; i < n; i++) {
      int c = Cells.circuit(pending, start + i * Cells.SIZE);
      if (c < 0 || c >= Cells.MAX_CIRCUITS) {
        log.debug("relay {}: closing a channel that sent circuit {}", relay.spec().nickname(), c);
        ctx.close();
        return;
      }
      if (flow(c).delivered(1) > 0) {
        if (sendmes == null) {
          sendmes = ctx.alloc().buffer(4 * Cells.SIZE);
        }
        Cells.write(sendmes, Cells.SENDME, c);
      }
    }
    if (!relay.drops()) {
      ctx.write(pending.readRetainedSlice(n * Cells.SIZE));
    } else {
      for (int i = 0; i < n; i++) {
        if (cellIndex++ % 2 == 0) {
          ctx.write(pending.readRetainedSlice(Cells.SIZE));
        } else {
          pending.skipBytes(Cells.SIZE);
        }
      }
    }
    if (sendmes != null) {
      ctx.write(sendmes);
    }
    ctx.flush();
  }

  private CircuitFlow flow(int circuit) {
    if (circuit >= flows.length) {
      flows = java.util.Arrays.copyOf(flows, Math.max(circuit + 1, 2 * flows.length));
    }
    CircuitFlow f = flows[circuit];
    if (f == null) {
      f = new CircuitFlow(relay.flow());
      flows[circuit] = f;
    }
    return f;
  }
}
