package org.flashflow.measurer.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.HandlerNames;
import org.flashflow.common.net.NettyErrors;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.common.net.Transport;
import org.flashflow.measurer.CoordListener;
import org.flashflow.proto.netty.MessageFraming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one TLS connection to the coordinator (docs/protocol.md section 2): presents the measurer's
 * certificate, trusts only {@code [measurer] coord_cert}, and after any loss (refused, handshake
 * failed, closed by either side) connects again after a backoff that starts at 0.5 s and doubles up
 * to 60 s, back to 0.5 s after a successful handshake. The connection lives on the event loop
 * given, the core's, so the {@link CoordListener} is called on the thread that owns the state.
 *
 * <p>All fields belong to that loop.
 */
public final class CoordClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordClient.class);

  public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  /** A coordinator that accepts TCP and never finishes TLS must not hold us forever. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final HostPort coordAddr;
  private final EventLoop loop;
  private final SslContext sslContext;
  private final CoordListener listener;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final TcpKeepalive keepalive;
  private Duration backoff;
  private Channel channel;
  private Future<?> retry;
  private boolean started;
  private boolean closed;

  /**
   * @param sslContext from {@code TlsContexts.client(key, coord_cert)}
   * @param listener the core, called on {@code loop}
   */
  public CoordClient(
      HostPort coordAddr, EventLoop loop, SslContext sslContext, CoordListener listener) {
    this(coordAddr, loop, sslContext, listener, INITIAL_BACKOFF, MAX_BACKOFF);
  }

  /** With other backoff bounds, so that tests need not wait half a second per reconnection. */
  public CoordClient(
      HostPort coordAddr,
      EventLoop loop,
      SslContext sslContext,
      CoordListener listener,
      Duration initialBackoff,
      Duration maxBackoff) {
    this(coordAddr, loop, sslContext, listener, initialBackoff, maxBackoff, TcpKeepalive.DEFAULT);
  }

  /** With other keepalive timers too, so that tests notice a silent coordinator in seconds. */
  public CoordClient(
      HostPort coordAddr,
      EventLoop loop,
      SslContext sslContext,
      CoordListener listener,
      Duration initialBackoff,
      Duration maxBackoff,
      TcpKeepalive keepalive) {
    this.keepalive = Objects.requireNonNull(keepalive, "keepalive");
    this.coordAddr = Objects.requireNonNull(coordAddr, "coordAddr");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff below initialBackoff: " + maxBackoff);
    }
    if (!sslContext.isClient()) {
      throw new IllegalArgumentException("need a client TLS context");
    }
    this.backoff = initialBackoff;
  }

  /** Starts connecting; from any thread. */
  public void start() {
    loop.execute(
        () -> {
          if (!started && !closed) {
            started = true;
            connect();
          }
        });
  }

  private void connect() {
    retry = null;
    if (closed) {
      return;
    }
    LOG.debug("connecting to the coordinator at {}", coordAddr);
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(Transport.socketChannel(loop))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    SslHandler tls =
                        sslContext.newHandler(ch.alloc(), coordAddr.host(), coordAddr.port());
                    tls.setHandshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    ch.pipeline().addLast(HandlerNames.TLS, tls);
                    addCodecAndHandler(
                        ch.pipeline(), listener, coordAddr.toString(), CoordClient.this::connected);
                  }
                });
    // A coordinator that vanished without a word must not hold us (docs/protocol.md section 10).
    keepalive.applyTo(b, loop);
    // Unresolved, so that Netty resolves the name anew at every attempt.
    ChannelFuture f = b.connect(coordAddr.toUnresolved());
    channel = f.channel();
    f.addListener(
        (ChannelFuture cf) -> {
          if (!cf.isSuccess() && !closed) {
            LOG.warn(
                "cannot connect to the coordinator at {}: {}; retrying in {} ms",
                coordAddr,
                NettyErrors.describe(cf.cause()),
                backoff.toMillis());
          }
        });
    Channel ch = f.channel();
    ch.closeFuture().addListener(ignored -> closedChannel(ch));
  }

  /** Everything after TLS; shared with tests, which may build a pipeline without TLS. */
  static void addCodecAndHandler(
      ChannelPipeline p, CoordListener listener, String where, Runnable onAuthenticated) {
    MessageFraming.addTo(p);
    p.addLast(HandlerNames.COORDINATOR, new CoordChannelHandler(listener, where, onAuthenticated));
  }

  private void connected() {
    backoff = initialBackoff;
  }

  private void closedChannel(Channel ch) {
    if (closed || ch != channel) {
      return;
    }
    channel = null;
    Duration delay = backoff;
    backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(maxBackoff) > 0) {
      backoff = maxBackoff;
    }
    LOG.debug("reconnecting to the coordinator at {} in {} ms", coordAddr, delay.toMillis());
    retry = loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Stops reconnecting and closes the connection (the core hears of the disconnect). Waits for that
   * unless called on the event loop, where waiting would deadlock. Idempotent.
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (loop.isShuttingDown()) {
      return; // the loop closes its channels itself
    }
    loop.execute(
        () -> {
          closed = true;
          if (retry != null) {
            retry.cancel(false);
            retry = null;
          }
          Channel ch = channel;
          channel = null;
          if (ch != null) {
            ch.close().addListener(ignored -> done.complete(null));
          } else {
            done.complete(null);
          }
        });
    if (!loop.inEventLoop()) {
      try {
        done.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.debug("closing the connection to the coordinator: {}", e.toString());
      }
    }
  }
}
