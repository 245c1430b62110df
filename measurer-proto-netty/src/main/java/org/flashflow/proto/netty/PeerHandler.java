package org.flashflow.proto.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.flashflow.common.net.NettyErrors;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;
import org.slf4j.Logger;

/**
 * The life of one measurer-protocol connection, for the last handler at either end: the peer counts
 * once TLS has authenticated it, its decoded messages go to the owner, a received close_notify or
 * any failure closes the connection once, and the owner hears of the disconnect exactly once. Also
 * the last stop for exceptions: the network's (a reset) is logged at INFO, the peer's misbehaviour
 * (a TLS failure, a bad frame) at WARN, and the owner's (an exception from its callbacks) is a bug.
 *
 * <p>Subclasses say who the peer is and what to do with it; they decide nothing else here. Runs on
 * the event loop of the channel, which is the owner's loop.
 */
public abstract class PeerHandler extends ChannelInboundHandlerAdapter {
  private final Logger log;
  private boolean authenticated;
  private boolean disconnectAnnounced;
  private boolean closing;

  protected PeerHandler(Logger log) {
    this.log = log;
  }

  /** The peer for log lines, e.g. {@code measurer bob (192.0.2.1:4711)}. */
  protected abstract String who(ChannelHandlerContext ctx);

  /**
   * TLS has authenticated the peer. Announce it to the owner and return true, or call {@link #fail}
   * and return false to refuse it.
   */
  protected abstract boolean authenticated(ChannelHandlerContext ctx);

  /** A decoded message from an authenticated peer. */
  protected abstract void message(ChannelHandlerContext ctx, Message message);

  /** The connection of an authenticated peer is gone; called once. */
  protected abstract void disconnected(ChannelHandlerContext ctx);

  /** Appended to a failed handshake's WARN line, e.g. which config key to check; may be empty. */
  protected String handshakeHint() {
    return "";
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (!hs.isSuccess()) {
        fail(ctx, "TLS handshake failed: " + NettyErrors.describe(hs.cause()) + handshakeHint());
        return;
      }
      try {
        authenticated = authenticated(ctx);
      } catch (RuntimeException e) {
        bug(ctx, "announcing the connection", e);
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
   * The peer ended the TLS session. Many TLS stacks then wait for our close_notify before they
   * close TCP, and nothing more can come from the peer: answer, close TCP, and let {@link
   * #channelInactive} report the disconnect as for any other.
   */
  private void closeNotifyReceived(ChannelHandlerContext ctx) {
    if (closing) {
      return;
    }
    closing = true;
    log.info("{} ended the TLS session (close_notify); closing the connection", who(ctx));
    var unused = ctx.close(); // through SslHandler: our close_notify first, then TCP
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
    if (!authenticated) {
      fail(ctx, "message before the TLS handshake completed");
      return;
    }
    log.debug("from {}: {}", who(ctx), message);
    try {
      message(ctx, message);
    } catch (RuntimeException e) {
      bug(ctx, "handling a message", e);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (authenticated && !disconnectAnnounced) {
      disconnectAnnounced = true;
      try {
        disconnected(ctx);
      } catch (RuntimeException e) {
        log.error("bug: handling the disconnect of {} threw", who(ctx), e);
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closing) {
      log.debug("after closing {}: {}", who(ctx), NettyErrors.describe(cause));
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
      log.info("connection to {} lost: {}", who(ctx), NettyErrors.describe(cause));
      var unused = ctx.close();
    } else {
      fail(ctx, NettyErrors.describe(cause));
    }
  }

  /** Peer misbehaviour (or a TLS failure): one WARN naming the peer, then the connection goes. */
  protected final void fail(ChannelHandlerContext ctx, String problem) {
    if (closing) {
      log.debug("after closing {}: {}", who(ctx), problem);
      return;
    }
    closing = true;
    log.warn("closing the connection to {}: {}", who(ctx), problem);
    var unused = ctx.close();
  }

  /** An exception from the owner is our bug, not the peer's: say so, and drop the connection. */
  private void bug(ChannelHandlerContext ctx, String what, RuntimeException e) {
    log.error("bug: {} for {} threw; closing the connection", what, who(ctx), e);
    closing = true;
    var unused = ctx.close();
  }
}
