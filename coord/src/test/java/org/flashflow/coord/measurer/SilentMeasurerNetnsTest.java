package org.flashflow.coord.measurer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.common.testing.NetNs;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.proto.Go;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A measurer whose host falls silent at kernel level (its end of a veth pair goes down inside a
 * network namespace: no FIN, no reset, nothing) is noticed by TCP keepalive, idle or not, and
 * reported disconnected. Needs root; see {@link NetNs}. Keepalive here is 2 s idle, 1 s interval, 3
 * probes (about 5 s); the deadline is a generous 20 s.
 */
class SilentMeasurerNetnsTest {
  private static final TcpKeepalive FAST = new TcpKeepalive(2, 1, 3);
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Path coordPem;
  private Path alicePem;
  private NetNs ns;
  private EventLoopGroup group;
  private MeasurerServer server;
  private final RecordingListener listener = new RecordingListener();
  private final BlockingQueue<String> peerOutput = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws Exception {
    ns = NetNs.create();
    coordPem = dir.resolve("coord.pem");
    alicePem = dir.resolve("alice.pem");
    KeyGen.generate("coord", coordPem);
    KeyGen.generate("alice", alicePem);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    try {
      if (server != null) {
        server.close();
      }
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      }
    } finally {
      if (ns != null) {
        ns.close(); // null when NetNs.create() skipped the test
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void anIdleMeasurerThatFellSilentIsDisconnected(String transport) throws Exception {
    MeasurerLink link = connectMeasurerFromNamespace(transport);

    long cut = System.nanoTime();
    ns.cutLink();

    RecordingListener.Event gone = listener.next(DEADLINE);
    Duration took = Duration.ofNanos(System.nanoTime() - cut);
    assertEquals("disconnected", gone.kind());
    assertEquals(link, gone.link());
    System.out.printf(
        "%s: silent idle measurer disconnected after %d ms%n", transport, took.toMillis());
  }

  /**
   * Keepalive sends no probe while data waits for an acknowledgement; TCP_USER_TIMEOUT (epoll only)
   * covers that case.
   */
  @Test
  void aMeasurerThatFellSilentWithDataInFlightIsDisconnected() throws Exception {
    MeasurerLink link = connectMeasurerFromNamespace("epoll");

    long cut = System.nanoTime();
    ns.cutLink();
    group.next().execute(() -> link.send(new Go(1)));

    RecordingListener.Event gone = listener.next(DEADLINE);
    Duration took = Duration.ofNanos(System.nanoTime() - cut);
    assertEquals("disconnected", gone.kind());
    System.out.printf(
        "epoll: silent measurer with data in flight disconnected after %d ms%n", took.toMillis());
  }

  private MeasurerLink connectMeasurerFromNamespace(String transport) throws Exception {
    IoHandlerFactory io;
    if (transport.equals("epoll")) {
      ExternalTools.require(Epoll.isAvailable(), "Netty's native epoll transport");
      io = EpollIoHandler.newFactory();
    } else {
      io = NioIoHandler.newFactory();
    }
    group = new MultiThreadIoEventLoopGroup(1, io);
    EventLoop loop = group.next();
    server =
        new MeasurerServer(
            new InetSocketAddress(ns.hostAddress(), 0),
            loop,
            TlsContexts.server(coordPem, List.of(alicePem)),
            listener,
            MeasurerServer.HANDSHAKE_TIMEOUT,
            FAST,
            MeasurerServer.MAX_CONNECTIONS);
    InetSocketAddress addr = server.start();
    ns.startPeer(
        peerOutput,
        "tls-client",
        addr.getAddress().getHostAddress(),
        Integer.toString(addr.getPort()),
        alicePem.toString(),
        coordPem.toString());
    assertEquals("connected", NetNs.awaitLine(peerOutput, 10, "python3 peer connected"));
    RecordingListener.Event connected = listener.next();
    assertEquals("connected", connected.kind());
    assertTrue(connected.link().remoteAddress().startsWith(ns.nsAddress().getHostAddress() + ":"));
    ns.awaitAllAcknowledged(Duration.ofSeconds(10)); // idle: nothing in flight when the link goes
    return connected.link();
  }
}
