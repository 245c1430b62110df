package org.flashflow.coord.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.HandlerNames;
import org.flashflow.coord.net.Sockets;
import org.flashflow.coord.net.UnixSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator control socket (protocol.md section 8): TCP on {@code [coord] ctrl_addr} and/or a
 * Unix socket at {@code ctrl_socket}, one command per line, for telnet, netcat and {@code flashflow
 * ctrl}. It lives on the coordinator's event loop, so the {@link ControlCommandHandler} runs on the
 * thread that owns the state.
 *
 * <p>A TCP connection must authenticate first ({@link AuthGate}, {@code ctrl_auth}); on the Unix
 * socket the file's mode and group decide who may connect, as with tor's ControlSocket. Connection
 * and line limits keep a misbehaving local client from exhausting the coordinator.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  /** protocol.md section 8: lines over 1 KiB are refused. */
  public static final int MAX_LINE_BYTES = 1024;

  /** Plenty for operators and scripts; bounds what a runaway script can hold open. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  /** A forgotten telnet session should not stay open for ever. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Where to listen and how TCP clients authenticate.
   *
   * @param tcp {@code ctrl_addr}; empty: no TCP listener; port 0 picks a free port
   * @param socket {@code ctrl_socket}; empty: no Unix socket
   * @param group the Unix socket's group ({@code ctrl_group}); empty: the daemon's
   * @param auth what a TCP connection must send first
   */
  public record Access(
      Optional<InetSocketAddress> tcp,
      Optional<Path> socket,
      Optional<GroupPrincipal> group,
      ControlAuth auth) {
    public Access {
      Objects.requireNonNull(tcp, "tcp");
      Objects.requireNonNull(socket, "socket");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(auth, "auth");
    }
  }

  private final Access access;
  private final EventLoop loop;
  private final ControlCommandHandler commands;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final ChannelGroup connections;
  private final ExecutorService slowChecks; // null unless passwords are checked
  private Channel serverChannel;
  private UnixSocketServer unixServer;

  /** TCP on {@code address} without authentication ({@code ctrl_auth = none}); for tests. */
  public ControlServer(InetSocketAddress address, EventLoop loop, ControlCommandHandler commands) {
    this(
        new Access(
            Optional.of(address), Optional.empty(), Optional.empty(), new ControlAuth.None()),
        loop,
        commands);
  }

  /**
   * @param access where to listen and how TCP clients authenticate
   * @param loop the coordinator's single event loop; every connection is registered on it
   * @param commands executes command lines, called on {@code loop}
   */
  public ControlServer(Access access, EventLoop loop, ControlCommandHandler commands) {
    this(access, loop, commands, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
  }

  ControlServer(
      Access access,
      EventLoop loop,
      ControlCommandHandler commands,
      int maxConnections,
      Duration idleTimeout) {
    this.access = Objects.requireNonNull(access, "access");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.maxConnections = maxConnections;
    this.idleTimeout = idleTimeout;
    this.connections = new DefaultChannelGroup("control", loop);
    this.slowChecks =
        ControlAuth.isSlow(access.auth())
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "ctrl-auth");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /**
   * Binds and starts accepting; blocks until bound. Call once, not on the event loop.
   *
   * @return the bound TCP address (the real port if the configured one was 0); null when there is
   *     no TCP listener
   * @throws IOException "cannot listen for control connections on host:port: reason"
   */
  public InetSocketAddress start() throws IOException {
    if (serverChannel != null || unixServer != null) {
      throw new IllegalStateException("already started");
    }
    // Keep the socket writable after the client's EOF: `printf 'status' | nc` must still get its
    // answer.
    Consumer<ServerBootstrap> halfClosure =
        b -> b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    try {
      if (access.tcp().isPresent()) {
        serverChannel =
            Sockets.serve(
                loop,
                access.tcp().get(),
                "control connections",
                halfClosure,
                ch -> accept(ch, true));
        LOG.info("control port listening on {}", HostPort.format(boundAddress()));
        if (access.auth() instanceof ControlAuth.None) {
          LOG.warn(
              "control port {} has no authentication ([coord] ctrl_auth = none): every local user"
                  + " can start measurements of any relay",
              HostPort.format(boundAddress()));
        }
      }
      if (access.socket().isPresent()) {
        unixServer =
            UnixSocketServer.serve(
                loop,
                access.socket().get(),
                access.group(),
                "control connections",
                halfClosure,
                ch -> accept(ch, false));
        LOG.info("control socket listening on {}", access.socket().get());
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    return serverChannel == null ? null : boundAddress();
  }

  /** The TCP address actually bound; only after {@link #start} with a TCP listener. */
  public InetSocketAddress boundAddress() {
    if (serverChannel == null) {
      throw new IllegalStateException("no TCP listener started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops listening, closes every control connection, removes the Unix socket file. */
  @Override
  public void close() {
    if (serverChannel != null) {
      connections.add(serverChannel);
    }
    if (unixServer != null) {
      connections.add(unixServer.channel());
    }
    var done = connections.close();
    if (!loop.inEventLoop()) {
      done.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (unixServer != null) {
      try {
        unixServer.close();
      } catch (IOException e) {
        LOG.warn("cannot remove the control socket {}: {}", unixServer.path(), e.toString());
      }
    }
    if (slowChecks != null) {
      slowChecks.shutdownNow();
    }
  }

  private void accept(Channel ch, boolean tcp) {
    // Runs on the loop, like the group's bookkeeping, so the count is exact.
    String peer = tcp ? HostPort.format(ch.remoteAddress()) : "the control socket";
    if (connections.size() >= maxConnections) {
      LOG.warn("refusing control connection from {}: already {} open", peer, connections.size());
      ch.pipeline().addLast(HandlerNames.STRING_ENCODER, new StringEncoder(StandardCharsets.UTF_8));
      ch.pipeline().addLast(HandlerNames.REFUSE, new RefuseHandler());
      return;
    }
    connections.add(ch);
    ControlCommandHandler handler =
        tcp ? new AuthGate(access.auth(), commands, ch.eventLoop(), slowChecks, peer) : commands;
    configure(ch.pipeline(), handler, idleTimeout);
  }

  /** The pipeline of an accepted connection; shared with the codec tests. */
  static void configure(ChannelPipeline p, ControlCommandHandler commands, Duration idleTimeout) {
    p.addLast(
        HandlerNames.IDLE,
        new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
    p.addLast(HandlerNames.LINE_FRAMER, new LineDecoder(MAX_LINE_BYTES));
    p.addLast(HandlerNames.STRING_DECODER, new StringDecoder(StandardCharsets.UTF_8));
    p.addLast(HandlerNames.STRING_ENCODER, new StringEncoder(StandardCharsets.UTF_8));
    p.addLast(HandlerNames.CONTROL, new ControlChannelHandler(commands, MAX_LINE_BYTES));
  }

  /**
   * Lines ending in {@code \n} or {@code \r\n}, as Netty frames them, plus a last unterminated line
   * when the client's input ends (half-close), which Netty would otherwise drop.
   */
  static final class LineDecoder extends LineBasedFrameDecoder {
    LineDecoder(int maxLength) {
      super(maxLength, true, true);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      super.decodeLast(ctx, in, out);
      // Whatever is left has no line end; an over-long rest was already discarded and refused.
      if (in.isReadable()) {
        out.add(in.readRetainedSlice(in.readableBytes()));
      }
    }
  }

  /** The whole pipeline of a connection over the limit. */
  private static final class RefuseHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush("ERR too many control connections\n")
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
