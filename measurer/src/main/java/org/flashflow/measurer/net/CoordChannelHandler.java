package org.flashflow.measurer.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import org.flashflow.common.net.NettyErrors;
import org.flashflow.measurer.CoordLink;
import org.flashflow.measurer.CoordListener;
import org.flashflow.proto.Message;
import org.flashflow.proto.netty.PeerHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the connection to the coordinator: announces it to the core once TLS has
 * shown the pinned certificate, forwards decoded messages and reports the disconnect; the
 * connection's life (close_notify, failures, the once-only disconnect) is {@link PeerHandler}'s. It
 * decides nothing about measurements. Runs on the measurer's one event loop, the core's, so it
 * calls the {@link CoordListener} directly.
 */
final class CoordChannelHandler extends PeerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CoordChannelHandler.class);

  private final CoordListener listener;
  private final String where;
  private final Runnable onAuthenticated;
  private ChannelLink link;

  /**
   * @param where the coordinator's configured address, for log lines
   * @param onAuthenticated told when the handshake succeeded (the client resets its backoff)
   */
  CoordChannelHandler(CoordListener listener, String where, Runnable onAuthenticated) {
    super(LOG);
    this.listener = listener;
    this.where = where;
    this.onAuthenticated = onAuthenticated;
  }

  @Override
  protected String handshakeHint() {
    return " (is [measurer] coord_cert the coordinator's certificate, and does the"
        + " coordinator have ours?)";
  }

  @Override
  protected boolean authenticated(ChannelHandlerContext ctx) {
    link = new ChannelLink(ctx.channel(), where);
    onAuthenticated.run();
    listener.coordConnected(link);
    return true;
  }

  @Override
  protected void message(ChannelHandlerContext ctx, Message message) {
    listener.coordMessage(link, message);
  }

  @Override
  protected void disconnected(ChannelHandlerContext ctx) {
    listener.coordDisconnected(link);
  }

  @Override
  protected String who(ChannelHandlerContext ctx) {
    return "the coordinator at " + where;
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
