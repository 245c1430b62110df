package org.flashflow.coord.measurer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import java.util.Optional;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.NettyErrors;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.coord.core.MeasurerListener;
import org.flashflow.proto.Message;
import org.flashflow.proto.netty.PeerHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a measurer connection: announces it to the core once TLS has authenticated
 * the peer, forwards decoded messages and reports the disconnect; the connection's life
 * (close_notify, failures, the once-only disconnect) is {@link PeerHandler}'s. It decides nothing
 * about measurements. A connection that never authenticates is never seen by the core.
 *
 * <p>Runs on the coordinator's single event loop, the same one the core runs on, so it calls the
 * {@link MeasurerListener} directly.
 */
final class MeasurerChannelHandler extends PeerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MeasurerChannelHandler.class);

  private final MeasurerListener listener;
  private final PeerNames peerNames;
  private ChannelLink link;

  MeasurerChannelHandler(MeasurerListener listener, PeerNames peerNames) {
    super(LOG);
    this.listener = listener;
    this.peerNames = peerNames;
  }

  @Override
  protected boolean authenticated(ChannelHandlerContext ctx) {
    String peer = peer(ctx);
    Optional<String> name = peerNames.nameOf(ctx);
    if (name.isEmpty()) {
      fail(ctx, "certificate subject has no single O= to name the measurer");
      return false;
    }
    link = new ChannelLink(ctx.channel(), name.get(), peer);
    LOG.info("measurer {} connected from {}", link.name(), peer);
    listener.measurerConnected(link);
    return true;
  }

  /**
   * Over the high water mark ({@link MeasurerServer#MAX_UNREAD_BYTES} queued): the peer does not
   * read what we send. Waiting would only let the queue grow; close, as for any broken peer.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (!ctx.channel().isWritable() && ctx.channel().isOpen()) {
      LOG.warn(
          "{} does not read: over {} bytes queued for it; closing the connection",
          who(ctx),
          ctx.channel().config().getWriteBufferHighWaterMark());
      var unused = ctx.close();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  protected void message(ChannelHandlerContext ctx, Message message) {
    listener.measurerMessage(link, message);
  }

  @Override
  protected void disconnected(ChannelHandlerContext ctx) {
    LOG.info("measurer {} ({}) disconnected", link.name(), link.remoteAddress());
    listener.measurerDisconnected(link);
  }

  @Override
  protected String who(ChannelHandlerContext ctx) {
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
