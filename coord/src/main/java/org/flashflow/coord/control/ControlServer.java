package org.flashflow.coord.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.HandlerNames;
import org.flashflow.coord.net.Sockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator control socket (docs/protocol.md section 8) on {@code [coord] ctrl_addr}: plain TCP,
 * one command per line, for telnet, netcat and {@code flashflow ctrl}. It lives on the
 * coordinator's event loop, so the {@link ControlCommandHandler} runs on the thread that owns the
 * state.
 *
 * <p>The socket has no authentication, which is why the default address is {@code localhost};
 * connection and line limits keep a misbehaving local client from exhausting the coordinator.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  /** docs/protocol.md section 8: lines over 1 KiB are refused. */
  public static final int MAX_LINE_BYTES = 1024;

  /** Plenty for operators and scripts; bounds what a runaway script can hold open. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  /**
   * Replies queued for a client that does not read them: over this, the connection runs no more
   * commands and reads nothing until the client has read (ControlChannelHandler).
   */
  static final int MAX_UNREAD_BYTES = 64 * 1024;

  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(MAX_UNREAD_BYTES / 2, MAX_UNREAD_BYTES);

  /** A forgotten telnet session should not stay open for ever. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  private final InetSocketAddress address;
  private final EventLoop loop;
  private final ControlCommandHandler commands;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final ChannelGroup connections;
  private Channel serverChannel;

  /**
   * @param address where to listen ({@code [coord] ctrl_addr}); port 0 picks a free port
   * @param loop the coordinator's single event loop; every connection is registered on it
   * @param commands executes command lines, called on {@code loop}
   */
  public ControlServer(InetSocketAddress address, EventLoop loop, ControlCommandHandler commands) {
    this(address, loop, commands, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
  }

  ControlServer(
      InetSocketAddress address,
      EventLoop loop,
      ControlCommandHandler commands,
      int maxConnections,
      Duration idleTimeout) {
    this.address = Objects.requireNonNull(address, "address");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.maxConnections = maxConnections;
    this.idleTimeout = idleTimeout;
    this.connections = new DefaultChannelGroup("control", loop);
  }

  /**
   * Binds and starts accepting; blocks until bound. Call once, not on the event loop.
   *
   * @return the bound address (the real port if the configured one was 0)
   * @throws IOException "cannot listen for control connections on host:port: reason"
   */
  public InetSocketAddress start() throws IOException {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    serverChannel =
        Sockets.serve(
            loop,
            address,
            "control connections",
            // Keep the socket writable after the client's EOF: `printf 'status' | nc` must still
            // get its answer.
            b ->
                b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK),
            this::accept);
    InetSocketAddress bound = boundAddress();
    LOG.info("control socket listening on {}", HostPort.format(bound));
    return bound;
  }

  /** The address actually bound; only after {@link #start}. */
  public InetSocketAddress boundAddress() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops listening and closes every control connection; waits unless on the event loop. */
  @Override
  public void close() {
    if (serverChannel != null) {
      connections.add(serverChannel);
    }
    var done = connections.close();
    if (!loop.inEventLoop()) {
      done.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  private void accept(SocketChannel ch) {
    // Runs on the loop, like the group's bookkeeping, so the count is exact.
    if (connections.size() >= maxConnections) {
      LOG.warn(
          "refusing control connection from {}: already {} open",
          HostPort.format(ch.remoteAddress()),
          connections.size());
      ch.pipeline().addLast(HandlerNames.STRING_ENCODER, new StringEncoder(StandardCharsets.UTF_8));
      ch.pipeline().addLast(HandlerNames.REFUSE, new RefuseHandler());
      return;
    }
    connections.add(ch);
    configure(ch.pipeline(), commands, idleTimeout);
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
