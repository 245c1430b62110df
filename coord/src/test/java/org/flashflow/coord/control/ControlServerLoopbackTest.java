package org.flashflow.coord.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control socket over loopback with plain sockets, as netcat and telnet would use it. */
class ControlServerLoopbackTest {
  private static final String REFUSED = "ERR too many control connections";

  private EventLoopGroup group;
  private EventLoop loop;
  private ControlServer server;
  private InetSocketAddress address;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = group.next();
    server = new ControlServer(new InetSocketAddress("127.0.0.1", 0), loop, this::onLine);
    address = server.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
    assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
  }

  private void onLine(String line, ControlReply reply) {
    if (line.equals("status")) {
      reply.send(List.of("on loop: " + loop.inEventLoop(), "OK"));
    } else if (line.equals("later")) {
      // Answer from another thread, as a command waiting on tor might.
      new Thread(() -> reply.send(List.of("OK later"))).start();
    } else if (line.equals("quit")) {
      reply.send(List.of("OK bye"));
      reply.close();
    } else {
      reply.send(List.of("ERR unknown command: " + line));
    }
  }

  private Socket open() throws IOException {
    Socket s = new Socket(address.getAddress(), address.getPort());
    s.setSoTimeout(10_000);
    sockets.add(s);
    return s;
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void statusIsAnsweredOnTheLoopAndTheConnectionStaysOpen() throws IOException {
    Socket s = open();
    BufferedReader in = reader(s);
    send(s, "status\r\n");
    assertEquals("on loop: true", in.readLine());
    assertEquals("OK", in.readLine());
    send(s, "bogus\nstatus\n");
    assertEquals("ERR unknown command: bogus", in.readLine());
    assertEquals("on loop: true", in.readLine());
    assertEquals("OK", in.readLine());
  }

  @Test
  void replyFromAnotherThreadKeepsItsPlace() throws IOException {
    Socket s = open();
    BufferedReader in = reader(s);
    send(s, "later\nstatus\n");
    assertEquals("OK later", in.readLine());
    assertEquals("on loop: true", in.readLine());
    assertEquals("OK", in.readLine());
  }

  @Test
  void lastLineWithoutNewlineBeforeHalfCloseIsAnswered() throws IOException {
    // printf 'status' | nc localhost 12935
    Socket s = open();
    BufferedReader in = reader(s);
    send(s, "status");
    s.shutdownOutput();
    assertEquals("on loop: true", in.readLine());
    assertEquals("OK", in.readLine());
    assertNull(in.readLine(), "server closes once it has answered");
  }

  @Test
  void quitClosesTheConnection() throws IOException {
    Socket s = open();
    BufferedReader in = reader(s);
    send(s, "quit\n");
    assertEquals("OK bye", in.readLine());
    assertNull(in.readLine());
  }

  @Test
  void overlongLineIsRefused() throws IOException {
    Socket s = open();
    BufferedReader in = reader(s);
    send(s, "measure " + "A".repeat(2000) + "\n");
    assertEquals("ERR line too long (limit 1024 bytes)", in.readLine());
    assertNull(in.readLine());
  }

  @Test
  void connectionsOverTheLimitAreRefusedUntilOneLeaves() throws IOException {
    List<Socket> admitted = new ArrayList<>();
    for (int i = 0; i < ControlServer.DEFAULT_MAX_CONNECTIONS; i++) {
      Socket s = open();
      send(s, "status\n");
      BufferedReader in = reader(s);
      in.readLine();
      assertEquals("OK", in.readLine(), "connection " + (i + 1) + " must be served");
      admitted.add(s);
    }
    Socket extra = open();
    BufferedReader in = reader(extra);
    assertEquals(REFUSED, in.readLine());
    assertNull(in.readLine());

    // Once a client leaves, a new one is served. The server learns of the close asynchronously,
    // so retry until the deadline; each attempt blocks on the server's answer, nothing sleeps.
    send(admitted.get(0), "quit\n");
    assertEquals("OK bye", reader(admitted.get(0)).readLine());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String answer = null;
    while (System.nanoTime() < deadline) {
      Socket s = open();
      try {
        send(s, "bogus\n");
        answer = reader(s).readLine();
      } catch (SocketException e) {
        answer = null; // refused with our line unread: the server's close was a reset
      }
      if (answer != null && !answer.equals(REFUSED)) {
        break;
      }
    }
    assertEquals("ERR unknown command: bogus", answer);
  }

  @Test
  void addressInUseIsReportedWithTheAddress() {
    ControlServer second = new ControlServer(address, loop, this::onLine);
    IOException e = assertThrows(IOException.class, second::start);
    assertTrue(
        e.getMessage()
            .startsWith("cannot listen for control connections on 127.0.0.1:" + address.getPort()),
        e.getMessage());
  }
}
