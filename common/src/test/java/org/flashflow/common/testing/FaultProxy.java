package org.flashflow.common.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP proxy on 127.0.0.1 that injects network faults between a client and one target, switchable
 * at run time, for tests of what a program does when its peer's host still answers TCP but the data
 * does not get through. Each connection accepted is forwarded to the target over a connection of
 * its own. Modes, for all connections at once:
 *
 * <ul>
 *   <li>{@link #pass}: bytes go through as they come; a close of either side closes the other.
 *   <li>{@link #delay}: the same, each chunk (and a close) a fixed time later, in order.
 *   <li>{@link #blackhole}: nothing goes through in either direction and nothing is closed, as on a
 *       path that swallows packets (or a peer that is hung): both ends see a connection that is up
 *       and silent. Bytes and closes are held, in order, and delivered when the mode changes to
 *       pass or delay (as TCP does after a partition heals), so a side that was closed meanwhile is
 *       then seen closed by the other. New connections are accepted and held the same way.
 *   <li>{@link #reset}: every connection is reset on both sides (close with {@code SO_LINGER 0},
 *       which sends RST); new connections are reset as they come, until the mode changes.
 * </ul>
 *
 * <p>Everything runs on one Netty event loop of the proxy's own; the methods may be called from any
 * thread and return once the change is in effect. Not for large volumes: it buffers without limit.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with the bytes and closes it sees. */
  public enum Mode {
    PASS,
    DELAY,
    BLACKHOLE,
    RESET
  }

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final InetSocketAddress target;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Channel server;
  private final Set<Pair> pairs = new LinkedHashSet<>();
  private Mode mode = Mode.PASS;
  private long delayNanos;

  private FaultProxy(InetSocketAddress target) throws InterruptedException {
    this.target = Objects.requireNonNull(target, "target");
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.loop = group.next();
    ChannelFuture bound =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted(ch);
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync();
    this.server = bound.channel();
  }

  /** Starts a proxy to {@code target} in {@link Mode#PASS}, listening on a free loopback port. */
  public static FaultProxy start(InetSocketAddress target) throws InterruptedException {
    return new FaultProxy(target);
  }

  /** Where clients connect instead of to the target. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  public InetSocketAddress target() {
    return target;
  }

  /** Forwards everything as it comes, first what was held. */
  public void pass() {
    setMode(Mode.PASS, Duration.ZERO);
  }

  /** Forwards every chunk read (and every close) {@code by} after it came. */
  public void delay(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("negative delay " + by);
    }
    setMode(Mode.DELAY, by);
  }

  /** Holds everything, closes nothing. */
  public void blackhole() {
    setMode(Mode.BLACKHOLE, Duration.ZERO);
  }

  /** Resets every connection on both sides, and every new one. */
  public void reset() {
    setMode(Mode.RESET, Duration.ZERO);
  }

  public Mode mode() {
    return call(() -> mode);
  }

  /** Connections accepted whose two sides are not both closed yet. */
  public int connections() {
    return call(pairs::size);
  }

  /** Bytes read from either side and not yet forwarded (held by {@link #blackhole}, or delayed). */
  public long heldBytes() {
    return call(
        () -> {
          long n = 0;
          for (Pair p : pairs) {
            n += p.toTarget.heldBytes() + p.toClient.heldBytes();
          }
          return n;
        });
  }

  /** Closes seen on either side and not yet passed on to the other. */
  public int heldCloses() {
    return call(
        () -> {
          int n = 0;
          for (Pair p : pairs) {
            n += (p.toTarget.closeHeld() ? 1 : 0) + (p.toClient.closeHeld() ? 1 : 0);
          }
          return n;
        });
  }

  private void setMode(Mode m, Duration by) {
    call(
        () -> {
          mode = m;
          delayNanos = by.toNanos();
          if (m == Mode.RESET) {
            for (Pair p : List.copyOf(pairs)) {
              p.reset();
            }
          } else {
            for (Pair p : List.copyOf(pairs)) {
              p.pump();
            }
          }
          return null;
        });
  }

  private <T> T call(Callable<T> task) {
    if (loop.inEventLoop()) {
      throw new IllegalStateException("FaultProxy methods are for other threads");
    }
    try {
      return loop.submit(task).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("proxy loop: " + e, e);
    }
  }

  /** Stops listening and closes every connection (plainly, not with a reset). */
  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  // ---- on the loop ------------------------------------------------------------------------

  private void accepted(SocketChannel client) {
    if (mode == Mode.RESET) {
      resetChannel(client);
      return;
    }
    Pair p = new Pair(client);
    pairs.add(p);
    client.pipeline().addLast(new Reader(p.toTarget));
    ChannelFuture f =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new Reader(p.toClient))
            .connect(target);
    p.connecting(f.channel());
    f.addListener(
        (ChannelFuture cf) -> {
          if (cf.isSuccess()) {
            p.toTarget.targetReady();
          } else {
            p.toClient.sourceClosed(); // the target refused: the client sees a close
          }
        });
  }

  private static void resetChannel(Channel ch) {
    if (ch.isOpen()) {
      if (ch.isActive()) {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
      }
      ch.close();
    }
  }

  /** One client connection and the proxy's connection to the target for it. */
  private final class Pair {
    final Channel client;
    Channel targetSide;
    final Direction toTarget;
    final Direction toClient;

    Pair(Channel client) {
      this.client = client;
      this.toTarget = new Direction(this, "to target");
      this.toClient = new Direction(this, "to client");
      toClient.target(client);
      toClient.targetReady();
      client.closeFuture().addListener(f -> closed());
    }

    void connecting(Channel ch) {
      targetSide = ch;
      toTarget.target(ch);
      ch.closeFuture().addListener(f -> closed());
    }

    /** Either side closed: the pair is gone once both are, and nothing is held for them. */
    void closed() {
      if (!client.isOpen() && (targetSide == null || !targetSide.isOpen())) {
        toTarget.discard();
        toClient.discard();
        pairs.remove(this);
      }
    }

    void pump() {
      toTarget.pump();
      toClient.pump();
    }

    void reset() {
      toTarget.discard();
      toClient.discard();
      resetChannel(client);
      if (targetSide != null) {
        resetChannel(targetSide);
      }
      pairs.remove(this);
    }
  }

  /** A chunk read and when it may go on. */
  private record Chunk(ByteBuf buf, long dueNanos) {}

  /** One direction of a pair: what its source sent that its target has not got yet. */
  private final class Direction {
    private final Pair pair;
    private final String name;
    private final Deque<Chunk> queue = new ArrayDeque<>();
    private Channel target;
    private boolean targetReady;
    private boolean sourceClosed;
    private long closeDueNanos;
    private boolean closeDelivered;
    private ScheduledFuture<?> wakeUp;

    Direction(Pair pair, String name) {
      this.pair = pair;
      this.name = name;
    }

    void target(Channel ch) {
      target = ch;
    }

    void targetReady() {
      targetReady = true;
      pump();
    }

    void read(ByteBuf buf) {
      if (closeDelivered || (target != null && targetReady && !target.isActive())) {
        buf.release(); // nobody left to hear it
        return;
      }
      queue.add(new Chunk(buf, System.nanoTime() + delayNanos));
      pump();
    }

    void sourceClosed() {
      if (!sourceClosed) {
        sourceClosed = true;
        closeDueNanos = System.nanoTime() + delayNanos;
        pump();
      }
    }

    long heldBytes() {
      long n = 0;
      for (Chunk c : queue) {
        n += c.buf().readableBytes();
      }
      return n;
    }

    boolean closeHeld() {
      return sourceClosed && !closeDelivered && target != null && target.isOpen();
    }

    void discard() {
      Chunk c;
      while ((c = queue.poll()) != null) {
        c.buf().release();
      }
    }

    /** Forwards what the mode allows now, and wakes itself up for what is due later. */
    void pump() {
      if (mode == Mode.BLACKHOLE || mode == Mode.RESET || !targetReady || closeDelivered) {
        return;
      }
      if (!target.isActive()) {
        discard();
        return;
      }
      long now = System.nanoTime();
      boolean wrote = false;
      while (!queue.isEmpty()) {
        Chunk c = queue.peek();
        if (mode == Mode.DELAY && c.dueNanos() - now > 0) {
          wakeUpAt(c.dueNanos() - now);
          break;
        }
        queue.poll();
        target.write(c.buf());
        wrote = true;
      }
      if (wrote) {
        target.flush();
      }
      if (queue.isEmpty() && sourceClosed) {
        if (mode == Mode.DELAY && closeDueNanos - now > 0) {
          wakeUpAt(closeDueNanos - now);
          return;
        }
        closeDelivered = true;
        target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    private void wakeUpAt(long inNanos) {
      if (wakeUp == null || wakeUp.isDone()) {
        wakeUp = loop.schedule(this::pump, inNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public String toString() {
      return name + " of " + pair.client;
    }
  }

  /** Feeds what one channel reads, and its end, into a direction. */
  private static final class Reader extends ChannelInboundHandlerAdapter {
    private final Direction into;

    Reader(Direction into) {
      this.into = into;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        into.read(buf);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      into.sourceClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset from the peer, say: the close is passed on like any other
    }
  }

  @Override
  public String toString() {
    return "FaultProxy " + server.localAddress() + " -> " + target;
  }
}
