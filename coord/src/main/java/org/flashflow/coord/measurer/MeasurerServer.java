package org.flashflow.coord.measurer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.HandlerNames;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.coord.core.MeasurerListener;
import org.flashflow.coord.net.Sockets;
import org.flashflow.proto.netty.MessageFraming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts measurers on {@code [coord] listen_addr} over mutual TLS (docs/protocol.md section 2) and
 * reports them to a {@link MeasurerListener}. The server and every connection live on the one event
 * loop given, the core's, so that the listener is called on the thread that owns the state.
 */
public final class MeasurerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeasurerServer.class);

  /** A peer that opens a socket and never finishes TLS must not hold it forever. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * We send a few small messages per measurement; a peer with {@link #MAX_UNREAD_BYTES} unread (in
   * our buffer, beyond what TCP holds) is stuck or never reads, and its connection is closed (see
   * {@link MeasurerChannelHandler}): what we queue for one measurer is bounded by this.
   */
  static final int MAX_UNREAD_BYTES = 256 * 1024;

  /**
   * Connections open at once, TLS handshakes included: anyone can open a socket before TLS tells
   * measurers from strangers, so without a bound a flood of them would hold memory for each. Far
   * more than the measurers a coordinator has; one over it is closed at once.
   */
  static final int MAX_CONNECTIONS = 256;

  static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(64 * 1024, MAX_UNREAD_BYTES);

  private final InetSocketAddress listenAddress;
  private final EventLoop loop;
  private final SslContext sslContext;
  private final MeasurerListener listener;
  private final Duration handshakeTimeout;
  private final TcpKeepalive keepalive;
  private final int maxConnections;
  private final ChannelGroup channels;
  private Channel serverChannel;

  /**
   * @param listenAddress where to listen; port 0 picks a free port (see {@link #boundAddress})
   * @param loop the coordinator's single event loop; every connection is registered on it
   * @param sslContext from {@code TlsContexts.server}, requiring client certificates
   * @param listener the core, called on {@code loop}
   */
  public MeasurerServer(
      InetSocketAddress listenAddress,
      EventLoop loop,
      SslContext sslContext,
      MeasurerListener listener) {
    this(
        listenAddress,
        loop,
        sslContext,
        listener,
        HANDSHAKE_TIMEOUT,
        TcpKeepalive.DEFAULT,
        MAX_CONNECTIONS);
  }

  MeasurerServer(
      InetSocketAddress listenAddress,
      EventLoop loop,
      SslContext sslContext,
      MeasurerListener listener,
      Duration handshakeTimeout,
      TcpKeepalive keepalive,
      int maxConnections) {
    this.maxConnections = maxConnections;
    this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    this.keepalive = Objects.requireNonNull(keepalive, "keepalive");
    this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (!sslContext.isServer()) {
      throw new IllegalArgumentException("need a server TLS context");
    }
    this.channels = new DefaultChannelGroup("measurers", loop);
  }

  /**
   * Binds and starts accepting; blocks until bound. Call once, not on the event loop.
   *
   * @return the bound address (the real port if {@code listenAddress} had port 0)
   * @throws IOException "cannot listen for measurers on host:port: reason"
   */
  public InetSocketAddress start() throws IOException {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    serverChannel =
        Sockets.serve(
            loop,
            listenAddress,
            "measurers",
            b -> {
              b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                  .childOption(ChannelOption.TCP_NODELAY, true);
              // Measurers sit idle between measurements: notice a vanished host
              // (docs/protocol.md section 10).
              keepalive.applyToChildren(b, loop);
            },
            ch -> {
              // Runs on the loop, as the group's bookkeeping, so the count is exact. The group
              // holds the server channel too.
              if (channels.size() - 1 >= maxConnections) {
                LOG.warn(
                    "refusing a measurer connection from {}: already {} open (the limit)",
                    HostPort.format(ch.remoteAddress()),
                    maxConnections);
                var unused = ch.close();
                return;
              }
              channels.add(ch);
              SslHandler tls = sslContext.newHandler(ch.alloc());
              tls.setHandshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
              ch.pipeline().addLast(HandlerNames.TLS, tls);
              addCodecAndHandler(ch.pipeline(), listener, PeerNames.fromCertificate());
            });
    channels.add(serverChannel);
    InetSocketAddress bound = boundAddress();
    LOG.info("listening for measurers on {}", HostPort.format(bound));
    return bound;
  }

  /** The address actually bound; only after {@link #start}. */
  public InetSocketAddress boundAddress() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * Stops listening and closes every measurer connection (each reported disconnected). Waits for
   * that unless called on the event loop, where waiting would deadlock.
   */
  @Override
  public void close() {
    var done = channels.close();
    if (!loop.inEventLoop()) {
      done.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** Everything after TLS; shared with the codec tests, which have no TLS. */
  static void addCodecAndHandler(
      ChannelPipeline p, MeasurerListener listener, PeerNames peerNames) {
    MessageFraming.addTo(p);
    p.addLast(HandlerNames.MEASURER, new MeasurerChannelHandler(listener, peerNames));
  }
}
