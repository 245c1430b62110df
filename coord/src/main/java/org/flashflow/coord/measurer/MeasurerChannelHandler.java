package org.flashflow.coord.measurer;

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
import java.util.Optional;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.NettyErrors;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.coord.core.MeasurerListener;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;
import org.flashflow.proto.netty.MessageFraming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a measurer connection: announces it to the core once TLS has authenticated
 * the peer, forwards decoded messages, reports the disconnect, and is the last stop for exceptions.
 * It decides nothing about measurements. A connection that never authenticates is never seen by the
 * core.
 *
 * <p>Runs on the coordinator's single event loop, the same one the core runs on, so it calls the
 * {@link MeasurerListener} directly.
 */
final class MeasurerChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MeasurerChannelHandler.class);

  private final MeasurerListener listener;
  private final PeerNames peerNames;
  private ChannelLink link;
  private boolean disconnectAnnounced;
  private boolean closing;

  MeasurerChannelHandler(MeasurerListener listener, PeerNames peerNames) {
    this.listener = listener;
    this.peerNames = peerNames;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent) {
      SslHandshakeCompletionEvent hs = (SslHandshakeCompletionEvent) evt;
      if (hs.isSuccess()) {
        authenticated(ctx);
      } else {
        fail(ctx, "TLS handshake failed: " + NettyErrors.describe(hs.cause()));
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
    LOG.info("{} ended the TLS session (close_notify); closing the connection", who(ctx));
    ctx.close(); // through SslHandler: our close_notify first, then TCP
  }

  private void authenticated(ChannelHandlerContext ctx) {
    String peer = peer(ctx);
    Optional<String> name = peerNames.nameOf(ctx);
    if (name.isEmpty()) {
      fail(ctx, "certificate subject has no single O= to name the measurer");
      return;
    }
    link = new ChannelLink(ctx.channel(), name.get(), peer);
    LOG.info("measurer {} connected from {}", link.name(), peer);
    try {
      listener.measurerConnected(link);
    } catch (RuntimeException e) {
      bug(ctx, "measurerConnected", e);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Message)) {
      ReferenceCountUtil.release(msg);
      bug(ctx, "channelRead", new IllegalStateException("unexpected " + msg.getClass()));
      return;
    }
    if (closing || !ctx.channel().isActive()) {
      return; // after a protocol error, nothing more from this peer counts
    }
    if (link == null) {
      fail(ctx, "message before authentication");
      return;
    }
    LOG.debug("from measurer {} ({}): {}", link.name(), link.remoteAddress(), msg);
    try {
      listener.measurerMessage(link, (Message) msg);
    } catch (RuntimeException e) {
      bug(ctx, "measurerMessage", e);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (link != null && !disconnectAnnounced) {
      disconnectAnnounced = true;
      LOG.info("measurer {} ({}) disconnected", link.name(), link.remoteAddress());
      try {
        listener.measurerDisconnected(link);
      } catch (RuntimeException e) {
        LOG.error("bug: measurerDisconnected for measurer {} threw", link.name(), e);
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closing) {
      LOG.debug("after closing {}: {}", who(ctx), NettyErrors.describe(cause));
      return;
    }
    if (cause instanceof TooLongFrameException) {
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
      LOG.info("connection to {} lost: {}", who(ctx), NettyErrors.describe(cause));
      ctx.close();
    } else {
      fail(ctx, NettyErrors.describe(cause));
    }
  }

  /** Peer misbehaviour (or a TLS failure): one WARN, then the connection goes. */
  private void fail(ChannelHandlerContext ctx, String problem) {
    if (closing) {
      LOG.debug("after closing {}: {}", who(ctx), problem);
      return;
    }
    closing = true;
    LOG.warn("closing connection from {}: {}", who(ctx), problem);
    ctx.close();
  }

  /** An exception from the core is our bug, not the peer's: say so, and drop the connection. */
  private void bug(ChannelHandlerContext ctx, String call, RuntimeException e) {
    LOG.error("bug: {} for {} threw; closing the connection", call, who(ctx), e);
    closing = true;
    ctx.close();
  }

  private String who(ChannelHandlerContext ctx) {
    return link == null ? peer(ctx) : "measurer " + link.name() + " (" + link.remoteAddress() + ")";
  }

  private static String peer(ChannelHandlerContext ctx) {
    return HostPort.format(ctx.channel().remoteAddress());
  }

  /** The core's handle on this connection. Called on the event loop, like the handler. */
  private static final class ChannelLink implements MeasurerLink {
    private final Channel channel;
    private final String name;
    private final String remoteAddress;

    ChannelLink(Channel channel, String name, String remoteAddress) {
      this.channel = channel;
      this.name = name;
      this.remoteAddress = remoteAddress;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String remoteAddress() {
      return remoteAddress;
    }

    @Override
    public void send(Message message) {
      LOG.debug("to measurer {} ({}): {}", name, remoteAddress, message);
      channel
          .writeAndFlush(message)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.cause() instanceof EncoderException) {
                      LOG.error(
                          "bug: cannot encode {} for measurer {} ({})",
                          message,
                          name,
                          remoteAddress,
                          f.cause());
                    } else if (!f.isSuccess()) {
                      LOG.debug(
                          "could not send to measurer {} ({}): {}",
                          name,
                          remoteAddress,
                          NettyErrors.describe(f.cause()));
                    }
                  });
    }

    @Override
    public void close(String reason) {
      if (channel.isOpen()) {
        LOG.info("closing connection to measurer {} ({}): {}", name, remoteAddress, reason);
        channel.close();
      }
    }

    @Override
    public String toString() {
      return "measurer " + name + " (" + remoteAddress + ")";
    }
  }
}
