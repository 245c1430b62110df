package org.flashflow.measurer.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.flashflow.common.net.NettyErrors;
import org.flashflow.measurer.CoordLink;
import org.flashflow.measurer.CoordListener;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;
import org.flashflow.proto.netty.MessageFraming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the connection to the coordinator: announces it to the core once TLS has
 * shown the pinned certificate, forwards decoded messages, reports the disconnect, and is the last
 * stop for exceptions. It decides nothing about measurements. Runs on the measurer's one event
 * loop, the core's, so it calls the {@link CoordListener} directly.
 */
final class CoordChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(CoordChannelHandler.class);

  private final CoordListener listener;
  private final String where;
  private final Runnable onAuthenticated;
  private ChannelLink link;
  private boolean closing;

  /**
   * @param where the coordinator's configured address, for log lines
   * @param onAuthenticated told when the handshake succeeded (the client resets its backoff)
   */
  CoordChannelHandler(CoordListener listener, String where, Runnable onAuthenticated) {
    this.listener = listener;
    this.where = where;
    this.onAuthenticated = onAuthenticated;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (hs.isSuccess()) {
        authenticated(ctx);
      } else {
        fail(
            ctx,
            "TLS handshake failed: "
                + NettyErrors.describe(hs.cause())
                + " (is [measurer] coord_cert the coordinator's certificate, and does the"
                + " coordinator have ours?)");
      }
      return;
    }
    if (evt instanceof SslCloseCompletionEvent close) {
      if (close.isSuccess()) {
        closeNotifyReceived(ctx);
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * The coordinator ended the TLS session. Nothing more can come on this connection, and many TLS
   * stacks wait for our close_notify before closing TCP: answer, close TCP, and the client
   * reconnects as after any other loss.
   */
  private void closeNotifyReceived(ChannelHandlerContext ctx) {
    if (closing) {
      return;
    }
    closing = true;
    LOG.info(
        "the coordinator at {} ended the TLS session (close_notify); closing the connection",
        where);
    var unused = ctx.close(); // through SslHandler: our close_notify first, then TCP
  }

  private void authenticated(ChannelHandlerContext ctx) {
    link = new ChannelLink(ctx.channel(), where);
    onAuthenticated.run();
    try {
      listener.coordConnected(link);
    } catch (RuntimeException e) {
      bug(ctx, "coordConnected", e);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Message message)) {
      ReferenceCountUtil.release(msg);
      bug(ctx, "channelRead", new IllegalStateException("unexpected " + msg.getClass()));
      return;
    }
    if (closing || !ctx.channel().isActive()) {
      return; // after a protocol error, nothing more from this peer counts
    }
    if (link == null) {
      fail(ctx, "message before the TLS handshake completed");
      return;
    }
    try {
      listener.coordMessage(link, message);
    } catch (RuntimeException e) {
      bug(ctx, "coordMessage", e);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (link != null) {
      ChannelLink l = link;
      link = null;
      try {
        listener.coordDisconnected(l);
      } catch (RuntimeException e) {
        LOG.error("bug: coordDisconnected for the coordinator at {} threw", where, e);
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closing) {
      LOG.debug(
          "after closing the connection to the coordinator at {}: {}",
          where,
          NettyErrors.describe(cause));
    } else if (cause instanceof TooLongFrameException) {
      fail(
          ctx,
          "over "
              + MessageFraming.FRAMER_BUFFER_BYTES
              + " bytes without a complete JSON object (limit per object: "
              + MessageCodec.MAX_OBJECT_BYTES
              + ")");
    } else if (cause instanceof IOException) {
      // Resets and the like: the network's doing, not misbehaviour.
      closing = true;
      LOG.info("connection to the coordinator at {} lost: {}", where, NettyErrors.describe(cause));
      var unused = ctx.close();
    } else {
      fail(ctx, NettyErrors.describe(cause));
    }
  }

  /** Peer misbehaviour (or a TLS failure): one WARN naming the coordinator, then close. */
  private void fail(ChannelHandlerContext ctx, String problem) {
    if (closing) {
      LOG.debug("after closing the connection to the coordinator at {}: {}", where, problem);
      return;
    }
    closing = true;
    LOG.warn("closing the connection to the coordinator at {}: {}", where, problem);
    var unused = ctx.close();
  }

  /** An exception from the core is our bug, not the peer's: say so, and drop the connection. */
  private void bug(ChannelHandlerContext ctx, String call, RuntimeException e) {
    LOG.error("bug: {} for the coordinator at {} threw; closing the connection", call, where, e);
    closing = true;
    var unused = ctx.close();
  }

  /** The core's handle on this connection. Called on the event loop, like the handler. */
  private static final class ChannelLink implements CoordLink {
    private final Channel channel;
    private final String where;

    ChannelLink(Channel channel, String where) {
      this.channel = channel;
      this.where = where;
    }

    @Override
    public void send(Message message) {
      channel
          .writeAndFlush(message)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.cause() instanceof EncoderException) {
                      LOG.error("bug: cannot encode {} for the coordinator", message, f.cause());
                    } else if (!f.isSuccess()) {
                      LOG.debug(
                          "could not send to the coordinator at {}: {}",
                          where,
                          NettyErrors.describe(f.cause()));
                    }
                  });
    }

    @Override
    public String remoteAddress() {
      return where;
    }

    @Override
    public String toString() {
      return "coordinator at " + where;
    }
  }
}
