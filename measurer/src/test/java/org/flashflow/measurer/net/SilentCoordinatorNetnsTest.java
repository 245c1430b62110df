package org.flashflow.measurer.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.common.testing.NetNs;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.measurer.CoordLink;
import org.flashflow.measurer.CoordListener;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A coordinator whose host falls silent at kernel level (a python3 TLS server in a network
 * namespace whose end of the veth pair goes down) is noticed by TCP keepalive, idle or not; the
 * client reports the loss and connects again once the path is back. Needs root; see {@link NetNs}.
 * Keepalive 2 s idle, 1 s interval, 3 probes (about 5 s); deadline 20 s.
 */
class SilentCoordinatorNetnsTest {
  private static final TcpKeepalive FAST = new TcpKeepalive(2, 1, 3);
  private static final long DEADLINE_S = 20;

  @TempDir Path dir;
  private Path coordPem;
  private Path alicePem;
  private NetNs ns;
  private EventLoopGroup group;
  private CoordClient client;
  private volatile CoordLink link;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
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
  void tearDown() {
    try {
      if (client != null) {
        client.close();
      }
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    } finally {
      if (ns != null) {
        ns.close(); // null when NetNs.create() skipped the test
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void anIdleConnectionToASilentCoordinatorIsDroppedAndRetried(String transport) throws Exception {
    connectToCoordinatorInNamespace(transport);

    long cut = System.nanoTime();
    ns.cutLink();
    assertEquals("disconnected", next("disconnected"));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
    System.out.printf("%s: silent idle coordinator given up after %d ms%n", transport, took);

    ns.restoreLink();
    assertEquals("connected", next("reconnection once the path is back"));
  }

  /** Reports in flight: keepalive sends no probes then; TCP_USER_TIMEOUT (epoll) covers it. */
  @Test
  void aConnectionWithReportsInFlightToASilentCoordinatorIsDropped() throws Exception {
    connectToCoordinatorInNamespace("epoll");

    long cut = System.nanoTime();
    ns.cutLink();
    group.next().execute(() -> link.send(new BwReport(1, 1.0, 10, 20)));
    assertEquals("disconnected", next("disconnected"));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
    System.out.printf(
        "epoll: silent coordinator with a report in flight given up after %d ms%n", took);
  }

  private void connectToCoordinatorInNamespace(String transport) throws Exception {
    IoHandlerFactory io;
    if (transport.equals("epoll")) {
      ExternalTools.require(Epoll.isAvailable(), "Netty's native epoll transport");
      io = EpollIoHandler.newFactory();
    } else {
      io = NioIoHandler.newFactory();
    }
    group = new MultiThreadIoEventLoopGroup(1, io);
    ns.startPeer(
        peerOutput,
        "tls-server",
        ns.nsAddress().getHostAddress(),
        coordPem.toString(),
        alicePem.toString());
    String listening = NetNs.awaitLine(peerOutput, 10, "python3 coordinator listening");
    int port = Integer.parseInt(listening.replace("listening ", ""));
    client =
        new CoordClient(
            new HostPort(ns.nsAddress().getHostAddress(), port),
            group.next(),
            TlsContexts.client(alicePem, coordPem),
            new Recorder(),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            FAST);
    client.start();
    assertEquals("connected", next("connected"));
    assertEquals("accepted", NetNs.awaitLine(peerOutput, 10, "python3 coordinator accepted"));
    ns.awaitAllAcknowledged(Duration.ofSeconds(10)); // idle: nothing in flight when the link goes
  }

  private String next(String what) throws InterruptedException {
    String e = events.poll(DEADLINE_S, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no " + what + " within " + DEADLINE_S + " s");
    }
    return e;
  }

  /** Called on the client's loop. */
  private final class Recorder implements CoordListener {
    @Override
    public void coordConnected(CoordLink l) {
      link = l;
      events.add("connected");
    }

    @Override
    public void coordDisconnected(CoordLink l) {
      events.add("disconnected");
    }

    @Override
    public void coordMessage(CoordLink l, Message message) {
      events.add("message " + message);
    }
  }
}
