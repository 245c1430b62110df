package org.flashflow.coord.measurer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.common.testing.JdkTlsPeer;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.common.tls.PemFiles;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.Go;
import org.flashflow.proto.MessageCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The measurer server over loopback with real TLS: who gets in, and what the core hears. */
class MeasurerServerLoopbackTest {
  private static final String REPORT =
      "{\"msg_type\": -289, \"meas_id\": 123, \"ts\": 1594758553.123, \"sent\": 1000,"
          + " \"recv\": 2000}";

  @TempDir Path dir;
  private Path coordPem;
  private Path alicePem;
  private Path malloryPem;
  private EventLoopGroup serverGroup;
  private EventLoopGroup clientGroup;
  private EventLoop loop;
  private RecordingListener listener;
  private MeasurerServer server;
  private InetSocketAddress address;

  @BeforeEach
  void setUp() throws IOException {
    coordPem = dir.resolve("coord.pem");
    alicePem = dir.resolve("alice.pem");
    malloryPem = dir.resolve("elsewhere/mallory.pem");
    KeyGen.generate("coord", coordPem);
    KeyGen.generate("alice", alicePem);
    KeyGen.generate("mallory", malloryPem);
    serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = serverGroup.next();
    listener = new RecordingListener();
    server =
        new MeasurerServer(
            new InetSocketAddress("127.0.0.1", 0),
            loop,
            TlsContexts.server(coordPem, TlsContexts.trustedPemsIn(dir, coordPem)),
            listener);
    address = server.start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    server.close();
    assertTrue(clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
    assertTrue(serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
  }

  @Test
  void trustedMeasurerIsAnnouncedReportsAndGetsGo() throws Exception {
    Client alice = connect(TlsContexts.client(alicePem, coordPem));
    assertTrue(alice.handshake().await(10, TimeUnit.SECONDS));
    assertTrue(alice.handshake().isSuccess(), () -> "handshake: " + alice.handshake().cause());

    RecordingListener.Event connected = listener.next();
    assertEquals("connected", connected.kind());
    MeasurerLink link = connected.link();
    assertEquals("alice", link.name());
    assertTrue(link.remoteAddress().startsWith("127.0.0.1:"), link.remoteAddress());

    alice.send(REPORT + "\n");
    RecordingListener.Event report = listener.next();
    assertEquals("message", report.kind());
    assertEquals(new BwReport(123, 1594758553.123, 1000, 2000), report.message());

    loop.execute(() -> link.send(new Go(123)));
    String received = alice.received.poll(10, TimeUnit.SECONDS);
    assertEquals(new Go(123), MessageCodec.decode(received));

    alice.channel.close();
    RecordingListener.Event gone = listener.next();
    assertEquals("disconnected", gone.kind());
    assertEquals(link, gone.link());
    barrier();
    assertEquals(
        List.of("connected", "message", "disconnected"),
        listener.all().stream().map(RecordingListener.Event::kind).toList());
  }

  @Test
  void listenerIsCalledOnTheServersEventLoop() throws Exception {
    CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
    server.close();
    server =
        new MeasurerServer(
            new InetSocketAddress("127.0.0.1", 0),
            loop,
            TlsContexts.server(coordPem, List.of(alicePem)),
            new RecordingListener() {
              @Override
              public void measurerConnected(MeasurerLink link) {
                onLoop.complete(loop.inEventLoop());
              }
            });
    address = server.start();
    connect(TlsContexts.client(alicePem, coordPem));
    assertTrue(onLoop.get(10, TimeUnit.SECONDS));
  }

  /**
   * A peer that ends TLS properly (close_notify, then waiting for ours before closing TCP, as
   * Python's ssl or OpenSSL's s_client do) is answered, loses TCP at once and is reported gone.
   * Before, TLS 1.3 left it unanswered and TLS 1.2 answered but kept TCP open, so the measurer
   * stayed "connected".
   */
  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void closeNotifyIsAnsweredAndEndsTheConnection(String protocol) throws Exception {
    try (JdkTlsPeer alice =
        JdkTlsPeer.handshake(
            new Socket(address.getAddress(), address.getPort()),
            alicePem,
            coordPem,
            protocol,
            true)) {
      assertEquals(protocol, alice.protocol());
      RecordingListener.Event connected = listener.next();
      assertEquals("connected", connected.kind());

      Duration tcpClosed = alice.closeNotifyAndAwaitAnswer(Duration.ofSeconds(10));

      assertTrue(tcpClosed.compareTo(Duration.ofSeconds(1)) < 0, "TCP closed after " + tcpClosed);
      RecordingListener.Event gone = listener.next();
      assertEquals("disconnected", gone.kind());
      assertEquals(connected.link(), gone.link());
    }
  }

  /** The same with CPython's ssl module (OpenSSL), whose unwrap() is exactly that shutdown. */
  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void pythonUnwrapIsAnsweredAndEndsTheConnection(String protocol) throws Exception {
    ExternalTools.require(Files.isExecutable(PYTHON), PYTHON.toString());
    Process p =
        new ProcessBuilder(
                PYTHON.toString(),
                "-c",
                PYTHON_UNWRAP,
                address.getAddress().getHostAddress(),
                Integer.toString(address.getPort()),
                alicePem.toString(),
                coordPem.toString(),
                protocol)
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python3 did not finish");
      List<String> lines = out.lines().toList();
      assertEquals(0, p.exitValue(), "python3: " + lines);
      String[] last = lines.get(lines.size() - 1).split(" ");
      assertEquals("closed", last[0], lines.toString());
      assertTrue(Double.parseDouble(last[1]) < 1.0, "TCP closed after " + last[1] + " s");
      assertEquals("handshake " + protocol, lines.get(0), lines.toString());
    } finally {
      p.destroyForcibly();
    }
    assertEquals("connected", listener.next().kind());
    assertEquals("disconnected", listener.next().kind());
  }

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Connects, completes TLS, unwrap()s (close_notify, wait for ours), then waits for TCP EOF. */
  private static final String PYTHON_UNWRAP =
      String.join(
          "\n",
          "import socket, ssl, sys, time",
          "host, port, own, trusted, proto = sys.argv[1:6]",
          "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
          "ctx.check_hostname = False",
          "ctx.load_verify_locations(trusted)",
          "ctx.load_cert_chain(own)",
          "v = ssl.TLSVersion.TLSv1_2 if proto == 'TLSv1.2' else ssl.TLSVersion.TLSv1_3",
          "ctx.minimum_version = v",
          "ctx.maximum_version = v",
          "tls = ctx.wrap_socket(socket.create_connection((host, int(port)), timeout=10))",
          "print('handshake', tls.version(), flush=True)",
          "start = time.monotonic()",
          "try:",
          "    plain = tls.unwrap()",
          "except (socket.timeout, TimeoutError):",
          "    sys.exit('no close_notify answered ours within 10 s')",
          "try:",
          "    data = plain.recv(1)",
          "except (socket.timeout, TimeoutError):",
          "    sys.exit('close_notify answered, but TCP still open after 10 s')",
          "except ConnectionResetError:",
          "    data = b''",
          "print('closed' if data == b'' else 'data', time.monotonic() - start, flush=True)");

  @Test
  void untrustedCertificateIsRejectedAndTheServerServesOthers() throws Exception {
    Client mallory = connect(TlsContexts.client(malloryPem, coordPem));
    assertTrue(mallory.channel.closeFuture().await(10, TimeUnit.SECONDS), "server must hang up");

    Client alice = connect(TlsContexts.client(alicePem, coordPem));
    RecordingListener.Event first = listener.next();
    assertEquals("connected", first.kind());
    assertEquals("alice", first.link().name());
    alice.channel.close();
    assertEquals("disconnected", listener.next().kind());
  }

  @Test
  void clientWithoutCertificateIsRejected() throws Exception {
    SslContext noCert =
        SslContextBuilder.forClient()
            .trustManager(PemFiles.readCertificates(coordPem))
            .endpointIdentificationAlgorithm(null)
            .build();
    Client anonymous = connect(noCert);
    assertTrue(anonymous.channel.closeFuture().await(10, TimeUnit.SECONDS));
    barrier();
    assertEquals(List.of(), listener.all());
  }

  @Test
  void plainTcpClientIsClosedWithoutEffect() throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((REPORT + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      try {
        assertEquals(-1, in.read(), "server must close, not answer");
      } catch (SocketException reset) {
        // A reset is a close too.
      }
    }
    barrier();
    assertEquals(List.of(), listener.all());
  }

  @Test
  void silentClientIsDroppedAfterTheHandshakeTimeout() throws Exception {
    server.close();
    server =
        new MeasurerServer(
            new InetSocketAddress("127.0.0.1", 0),
            loop,
            TlsContexts.server(coordPem, List.of(alicePem)),
            listener,
            Duration.ofMillis(200),
            TcpKeepalive.DEFAULT,
            MeasurerServer.MAX_CONNECTIONS);
    address = server.start();
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(10_000);
      try {
        assertEquals(-1, s.getInputStream().read(), "server must hang up on a silent client");
      } catch (SocketException reset) {
        // A reset is a close too.
      }
    }
    barrier();
    assertEquals(List.of(), listener.all());
  }

  @Test
  void connectionsOverTheLimitAreClosedAtOnce() throws Exception {
    server.close();
    server =
        new MeasurerServer(
            new InetSocketAddress("127.0.0.1", 0),
            loop,
            TlsContexts.server(coordPem, List.of(alicePem)),
            listener,
            Duration.ofSeconds(30),
            TcpKeepalive.DEFAULT,
            2);
    address = server.start();
    try (Socket a = new Socket(address.getAddress(), address.getPort());
        Socket b = new Socket(address.getAddress(), address.getPort());
        Socket c = new Socket(address.getAddress(), address.getPort())) {
      c.setSoTimeout(10_000);
      try {
        assertEquals(-1, c.getInputStream().read(), "the third connection must be closed");
      } catch (SocketException reset) {
        // A reset is a close too.
      }
      // The first two are still open, waiting for their handshakes (30 s).
      a.setSoTimeout(200);
      assertThrows(java.net.SocketTimeoutException.class, () -> a.getInputStream().read());
    }
    barrier();
    assertEquals(List.of(), listener.all());
  }

  @Test
  void closingTheServerDisconnectsMeasurers() throws Exception {
    Client alice = connect(TlsContexts.client(alicePem, coordPem));
    assertEquals("connected", listener.next().kind());
    server.close();
    assertEquals("disconnected", listener.next().kind());
    assertTrue(alice.channel.closeFuture().await(10, TimeUnit.SECONDS));
  }

  @Test
  void addressInUseIsReportedWithTheAddress() throws IOException {
    MeasurerServer second =
        new MeasurerServer(address, loop, TlsContexts.server(coordPem, List.of()), listener);
    IOException e = assertThrows(IOException.class, second::start);
    assertTrue(
        e.getMessage().startsWith("cannot listen for measurers on 127.0.0.1:" + address.getPort()),
        e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("in use"), e.getMessage());
  }

  @Test
  void clientContextIsRejected() throws IOException {
    SslContext clientCtx = TlsContexts.client(alicePem, coordPem);
    assertThrows(
        IllegalArgumentException.class,
        () -> new MeasurerServer(address, loop, clientCtx, listener));
  }

  /** Waits until everything the loop had queued before now has run. */
  private void barrier() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
    assertFalse(loop.inEventLoop());
  }

  private Client connect(SslContext ctx) throws InterruptedException {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    Bootstrap b =
        new Bootstrap()
            .group(clientGroup)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(ctx.newHandler(ch.alloc()));
                    ch.pipeline().addLast(new JsonObjectDecoder());
                    ch.pipeline().addLast(new Collector(received));
                  }
                });
    var f = b.connect(address);
    assertTrue(f.await(10, TimeUnit.SECONDS));
    assertTrue(f.isSuccess(), () -> "connect: " + f.cause());
    return new Client(f.channel(), received);
  }

  /** The test client's last handler: keeps what the server sends. */
  private static final class Collector extends SimpleChannelInboundHandler<ByteBuf> {
    private final BlockingQueue<String> received;

    Collector(BlockingQueue<String> received) {
      this.received = received;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
      received.add(msg.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // the rejected cases end here; the tests check that the connection ended
    }
  }

  private static final class Client {
    final Channel channel;
    final BlockingQueue<String> received;

    Client(Channel channel, BlockingQueue<String> received) {
      this.channel = channel;
      this.received = received;
    }

    io.netty.util.concurrent.Future<Channel> handshake() {
      return channel.pipeline().get(SslHandler.class).handshakeFuture();
    }

    void send(String s) {
      channel.writeAndFlush(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }
  }
}
