package org.flashflow.common.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault proxy between a plain socket client and a plain socket server, mode by mode. */
@Timeout(60)
class FaultProxyTest {
  private static final int READ_DEADLINE_MS = 10_000;

  private ServerSocket listener;
  private FaultProxy proxy;
  private Socket client;
  private Socket server;

  @BeforeEach
  void connect() throws Exception {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    listener.setSoTimeout(READ_DEADLINE_MS);
    proxy =
        FaultProxy.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
    client = new Socket();
    client.connect(proxy.address(), READ_DEADLINE_MS);
    client.setSoTimeout(READ_DEADLINE_MS);
    server = listener.accept();
    server.setSoTimeout(READ_DEADLINE_MS);
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    server.close();
    listener.close();
    proxy.close();
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  private static String read(Socket s, int n) throws IOException {
    byte[] b = s.getInputStream().readNBytes(n);
    assertEquals(n, b.length, "EOF after " + b.length + " of " + n + " bytes");
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  @Test
  void passForwardsBothWaysAndPassesTheClose() throws IOException {
    send(client, "hello");
    assertEquals("hello", read(server, 5));
    send(server, "world");
    assertEquals("world", read(client, 5));
    assertEquals(1, proxy.connections());
    client.close();
    assertEquals(-1, server.getInputStream().read(), "EOF at the target");
    await(() -> proxy.connections() == 0, "the pair forgotten");
  }

  @Test
  void delayAddsLatencyAndKeepsOrder() throws IOException {
    proxy.delay(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    send(client, "a");
    send(client, "b");
    assertEquals("ab", read(server, 2));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 300, ms + " ms");
    proxy.pass();
    send(server, "c");
    assertEquals("c", read(client, 1));
  }

  @Test
  void blackholeHoldsBytesAndClosesUntilItPassesAgain() throws IOException {
    proxy.blackhole();
    send(client, "x");
    send(server, "yz");
    // The proxy holds all three bytes, so neither end can have them.
    await(() -> proxy.heldBytes() == 3, "3 bytes held");
    assertEquals(0, server.getInputStream().available());
    assertEquals(0, client.getInputStream().available());
    server.close();
    await(() -> proxy.heldCloses() == 1, "the target's close held");
    assertTrue(!client.isInputShutdown());
    assertEquals(FaultProxy.Mode.BLACKHOLE, proxy.mode());

    proxy.pass();
    InputStream in = client.getInputStream();
    assertArrayEquals("yz".getBytes(StandardCharsets.US_ASCII), in.readNBytes(2));
    assertEquals(-1, in.read(), "the close, after the data");
  }

  @Test
  void resetResetsBothSidesAndNewConnections() throws IOException {
    send(client, "1");
    assertEquals("1", read(server, 1));
    proxy.reset();
    assertThrows(SocketException.class, () -> client.getInputStream().read());
    assertThrows(SocketException.class, () -> server.getInputStream().read());

    try (Socket again = new Socket()) {
      // The reset may come before connect() returns, or at the first read.
      assertThrows(
          SocketException.class,
          () -> {
            again.connect(proxy.address(), READ_DEADLINE_MS);
            again.setSoTimeout(READ_DEADLINE_MS);
            again.getInputStream().read();
          });
    }
    proxy.pass();
    try (Socket later = new Socket()) {
      later.connect(proxy.address(), READ_DEADLINE_MS);
      try (Socket accepted = listener.accept()) {
        send(later, "ok");
        assertEquals("ok", read(accepted, 2));
      }
    }
  }
}
