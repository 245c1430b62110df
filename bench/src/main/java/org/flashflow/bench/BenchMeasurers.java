package org.flashflow.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;
import org.flashflow.proto.ProtocolException;

/**
 * K fake measurers as real TLS clients of the coordinator, on their own event loop group (not the
 * coordinator's). Each answers ConnectToRelay with ConnectedToRelay at once and, after Go, sends
 * {@code dur} BwReports: all at once, or one per {@code intervalNanos}; {@code ts} carries the send
 * time (see {@link BenchClock}). They do not drive any tor, so their CPU cost is only TLS, JSON and
 * timers.
 */
final class BenchMeasurers {
  static final long RECV_BYTES = 10_000_000;

  private final EventLoopGroup group;
  private final BenchClock clock;
  private final long intervalNanos;
  private final List<Channel> channels = new ArrayList<>();

  BenchMeasurers(EventLoopGroup group, BenchClock clock, long intervalNanos) {
    this.group = group;
    this.clock = clock;
    this.intervalNanos = intervalNanos;
  }

  /** Connects one measurer; blocks until TCP is up (TLS then completes on the loops). */
  void connect(InetSocketAddress coord, SslContext tls) throws InterruptedException {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            tls.newHandler(ch.alloc(), coord.getHostString(), coord.getPort()),
                            new JsonObjectDecoder(1 << 20),
                            new Decoder(),
                            ENCODER,
                            new Client());
                  }
                });
    channels.add(b.connect(coord).sync().channel());
  }

  void close() {
    for (Channel ch : channels) {
      ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }

  private static final Encoder ENCODER = new Encoder();

  /** What a measurer does with the coordinator's messages; one per connection, on its loop. */
  private final class Client extends SimpleChannelInboundHandler<Message> {
    private final Map<Long, ScheduledFuture<?>> senders = new HashMap<>();
    private final Map<Long, Integer> dur = new HashMap<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
      if (msg instanceof ConnectToRelay c) {
        ctx.writeAndFlush(new ConnectedToRelay(c));
        dur.put(c.measId(), c.dur());
      } else if (msg instanceof Go g) {
        Integer n = dur.remove(g.measId());
        if (n != null) {
          report(ctx, g.measId(), n);
        }
      } else if (msg instanceof Failure f) {
        f.measId().ifPresent(id -> cancel(id));
      }
    }

    private void report(ChannelHandlerContext ctx, long measId, int n) {
      if (intervalNanos == 0) {
        for (int i = 0; i < n; i++) {
          ctx.write(report(measId));
        }
        ctx.flush();
        return;
      }
      int[] sent = {0};
      senders.put(
          measId,
          ctx.executor()
              .scheduleAtFixedRate(
                  () -> {
                    ctx.writeAndFlush(report(measId));
                    if (++sent[0] == n) {
                      cancel(measId);
                    }
                  },
                  intervalNanos,
                  intervalNanos,
                  TimeUnit.NANOSECONDS));
    }

    private BwReport report(long measId) {
      return new BwReport(measId, clock.toTs(System.nanoTime()), RECV_BYTES, RECV_BYTES);
    }

    private void cancel(long measId) {
      ScheduledFuture<?> f = senders.remove(measId);
      if (f != null) {
        f.cancel(false);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      senders.values().forEach(f -> f.cancel(false));
      senders.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      System.err.println("bench measurer: " + cause);
      ctx.close();
    }
  }

  private static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
      try {
        out.add(MessageCodec.decode(ByteBufUtil.getBytes(frame)));
      } catch (ProtocolException e) {
        throw new DecoderException(e);
      }
    }
  }

  @Sharable
  private static final class Encoder extends MessageToByteEncoder<Message> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
      out.writeBytes(MessageCodec.encode(msg));
      out.writeByte('\n');
    }
  }
}
