package org.flashflow.coord.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.ConnectedToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;

/**
 * A scriptable measurer for loopback tests: a real Netty TLS client with the production framing and
 * codec, which answers ConnectToRelay and Go as its {@link Script} says and records every message
 * it receives. It drives no tor: its reports carry the {@code recv} the test chose.
 *
 * <p>Test code, so concurrent collections and volatile fields are fine here.
 */
final class TestMeasurer implements AutoCloseable {

  /** What to answer to ConnectToRelay. */
  enum OnConnect {
    CONNECTED,
    FAILURE,
    NOTHING
  }

  /** What to do after Go. */
  enum OnGo {
    /** Send {@code dur} reports. */
    REPORT_ALL,
    /** Send {@code k} reports, then nothing. */
    STOP_AFTER,
    /** Send {@code k} reports, then close the connection. */
    DISCONNECT_AFTER,
    /** Send {@code k} reports, then bytes that are not JSON. */
    INVALID_JSON_AFTER
  }

  /**
   * One behaviour, applied to every measurement from the next ConnectToRelay on.
   *
   * @param recv the {@code recv} of every report
   * @param k reports before the scripted misbehaviour
   */
  record Script(OnConnect onConnect, OnGo onGo, int k, long recv, Duration interval) {
    static Script honest(long recv) {
      return new Script(OnConnect.CONNECTED, OnGo.REPORT_ALL, 0, recv, FAST);
    }

    static Script failsConnect() {
      return new Script(OnConnect.FAILURE, OnGo.REPORT_ALL, 0, 1, FAST);
    }

    static Script ignoresConnect() {
      return new Script(OnConnect.NOTHING, OnGo.REPORT_ALL, 0, 1, FAST);
    }

    static Script stopsAfter(int k, long recv) {
      return new Script(OnConnect.CONNECTED, OnGo.STOP_AFTER, k, recv, FAST);
    }

    static Script disconnectsAfter(int k, long recv) {
      return new Script(OnConnect.CONNECTED, OnGo.DISCONNECT_AFTER, k, recv, FAST);
    }

    static Script invalidJsonAfter(int k, long recv) {
      return new Script(OnConnect.CONNECTED, OnGo.INVALID_JSON_AFTER, k, recv, FAST);
    }
  }

  static final Duration FAST = Duration.ofMillis(100);

  private final String name;
  private final Channel channel;
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final Map<Long, ConnectToRelay> requests = new ConcurrentHashMap<>();
  private final Map<Long, Integer> sentReports = new ConcurrentHashMap<>();
  private volatile Script script;

  private TestMeasurer(String name, Channel channel, Script script) {
    this.name = name;
    this.channel = channel;
    this.script = script;
  }

  /**
   * Connects with {@code ownPem} and pins {@code coordPem}; returns once the TLS handshake is over
   * on this side (the coordinator may still refuse the certificate and hang up).
   */
  static TestMeasurer connect(
      String name,
      EventLoopGroup group,
      InetSocketAddress coordinator,
      Path ownPem,
      Path coordPem,
      Script script)
      throws IOException, InterruptedException {
    SslContext tls = TlsContexts.client(ownPem, coordPem);
    var holder =
        new Object() {
          TestMeasurer measurer;
        };
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            "tls",
                            tls.newHandler(
                                ch.alloc(), coordinator.getHostString(), coordinator.getPort()));
                    ch.pipeline().addLast("framer", new JsonObjectDecoder(1 << 20));
                    ch.pipeline()
                        .addLast(
                            "handler",
                            new SimpleChannelInboundHandler<ByteBuf>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg)
                                  throws Exception {
                                holder.measurer.onMessage(
                                    MessageCodec.decode(ByteBufUtil.getBytes(msg)));
                              }

                              @Override
                              public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
                                ctx.close();
                              }
                            });
                  }
                });
    Channel ch = b.connect(coordinator).sync().channel();
    TestMeasurer m = new TestMeasurer(name, ch, script);
    holder.measurer = m;
    ch.pipeline().get(SslHandler.class).handshakeFuture().await(10, TimeUnit.SECONDS);
    return m;
  }

  String name() {
    return name;
  }

  Channel channel() {
    return channel;
  }

  void script(Script s) {
    this.script = s;
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** Whether the TLS handshake completed successfully on this side. */
  boolean handshakeSucceeded() {
    return channel.pipeline().get(SslHandler.class) != null
        && channel.pipeline().get(SslHandler.class).handshakeFuture().isSuccess();
  }

  List<Message> received() {
    return List.copyOf(received);
  }

  /** Waits for a received message matching {@code p}. */
  Message await(Predicate<Message> p, Duration timeout, String what) {
    return Await.value(
        timeout,
        () -> received.stream().filter(p).findFirst().orElse(null),
        "measurer " + name + " to receive " + what + " (received so far: " + received + ")");
  }

  /** Waits for a Failure about {@code measId}. */
  Failure awaitFailure(long measId, Duration timeout) {
    return (Failure)
        await(
            m -> m instanceof Failure f && f.measId().equals(OptionalLong.of(measId)),
            timeout,
            "a Failure for meas_id " + measId);
  }

  /** Waits until the coordinator closed (or we closed) the connection. */
  void awaitClosed(Duration timeout) throws InterruptedException {
    if (!channel.closeFuture().await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("connection of measurer " + name + " still open after " + timeout);
    }
  }

  void send(Message m) {
    sendRaw(MessageCodec.encodeToString(m) + "\n");
  }

  void sendRaw(String text) {
    channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private void onMessage(Message m) {
    received.add(m);
    Script s = script;
    if (m instanceof ConnectToRelay c) {
      requests.put(c.measId(), c);
      switch (s.onConnect()) {
        case CONNECTED -> send(new ConnectedToRelay(c));
        case FAILURE ->
            send(
                new Failure(
                    FailureCode.LAUNCH_CIRCS.wireValue(),
                    OptionalLong.of(c.measId()),
                    Optional.of("test measurer " + name + " could not launch circuits")));
        case NOTHING -> {}
      }
    } else if (m instanceof Go g) {
      ConnectToRelay c = requests.get(g.measId());
      if (c != null) {
        scheduleReport(c, 0, s);
      }
    }
  }

  private void scheduleReport(ConnectToRelay c, int i, Script s) {
    channel
        .eventLoop()
        .schedule(() -> report(c, i, s), s.interval().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void report(ConnectToRelay c, int i, Script s) {
    if (!channel.isActive() || i >= c.dur()) {
      return;
    }
    boolean misbehave = s.onGo() != OnGo.REPORT_ALL && i >= s.k();
    if (misbehave) {
      switch (s.onGo()) {
        case STOP_AFTER -> {}
        case DISCONNECT_AFTER -> channel.close();
        case INVALID_JSON_AFTER -> sendRaw("{\"msg_type\": -289, \"meas_id\": oops}\n");
        case REPORT_ALL -> throw new AssertionError();
      }
      return;
    }
    send(new BwReport(c.measId(), System.currentTimeMillis() / 1000.0, s.recv(), s.recv()));
    sentReports.merge(c.measId(), 1, Integer::sum);
    scheduleReport(c, i + 1, s);
  }

  int reportsSent(long measId) {
    return sentReports.getOrDefault(measId, 0);
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
