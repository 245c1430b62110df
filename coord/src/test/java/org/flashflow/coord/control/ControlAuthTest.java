package org.flashflow.coord.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.net.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may send control commands: TCP clients authenticate first (cookie, password, or not at all
 * when so configured); on the Unix socket the file's mode decides. Over real sockets on the
 * daemon's transport (epoll on Linux).
 */
@Timeout(60)
class ControlAuthTest {
  private static final byte[] COOKIE = HexFormat.of().parseHex("ab".repeat(32));

  @TempDir Path dir;
  private EventLoopGroup group;
  private EventLoop loop;
  private final List<ControlServer> servers = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("ctrl-test"), Transport.ioHandlerFactory());
    loop = group.next();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    servers.forEach(ControlServer::close);
    assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
  }

  private static void onLine(String line, ControlReply reply) {
    if (line.equals("status")) {
      reply.send(List.of("all well", "OK"));
    } else if (line.equals("quit")) {
      reply.send(List.of("OK bye"));
      reply.close();
    } else {
      reply.send(List.of("ERR unknown command: " + line));
    }
  }

  private ControlServer server(Optional<Path> socket, ControlAuth auth) throws IOException {
    ControlServer s =
        new ControlServer(
            new ControlServer.Access(
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), socket, Optional.empty(), auth),
            loop,
            ControlAuthTest::onLine);
    servers.add(s);
    s.start();
    return s;
  }

  private Client tcp(ControlServer s) throws IOException {
    Socket socket = new Socket();
    socket.connect(s.boundAddress(), 10_000);
    socket.setSoTimeout(10_000);
    Client c = new Client(socket.getInputStream(), socket.getOutputStream(), socket);
    clients.add(c);
    return c;
  }

  private Client unix(Path path) throws IOException {
    SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
    Client c = new Client(Channels.newInputStream(ch), Channels.newOutputStream(ch), ch);
    clients.add(c);
    return c;
  }

  /** A line-based client; reads have a deadline on TCP (SO_TIMEOUT). */
  private static final class Client implements AutoCloseable {
    private final BufferedReader in;
    private final OutputStream os;
    private final AutoCloseable closer;

    Client(InputStream is, OutputStream os, AutoCloseable closer) {
      this.in = new BufferedReader(new InputStreamReader(is, StandardCharsets.UTF_8));
      this.os = os;
      this.closer = closer;
    }

    void send(String text) throws IOException {
      os.write(text.getBytes(StandardCharsets.UTF_8));
      os.flush();
    }

    String line() throws IOException {
      return in.readLine();
    }

    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  @Test
  void theRightCookieOpensTheConnectionAndAWrongOneIsRefused() throws Exception {
    ControlServer s = server(Optional.empty(), new ControlAuth.Cookie(COOKIE));
    Client c = tcp(s);
    c.send("status\n");
    assertEquals(AuthGate.NOT_AUTHENTICATED, c.line());
    c.send("auth " + "ab".repeat(31) + "ac\n");
    assertEquals(AuthGate.WRONG_SECRET, c.line());
    c.send("auth " + "AB".repeat(32) + "\r\n"); // telnet's CRLF, upper-case hex
    assertEquals("OK", c.line());
    c.send("status\n");
    assertEquals("all well", c.line());
    assertEquals("OK", c.line());
  }

  @Test
  void theThirdFailureClosesTheConnection() throws Exception {
    ControlServer s = server(Optional.empty(), new ControlAuth.Cookie(COOKIE));
    Client c = tcp(s);
    c.send("status\nauth nothex\nauth " + "00".repeat(32) + "\nauth " + "ab".repeat(32) + "\n");
    assertEquals(AuthGate.NOT_AUTHENTICATED, c.line());
    assertEquals(AuthGate.WRONG_SECRET, c.line());
    assertEquals(AuthGate.WRONG_SECRET, c.line());
    assertNull(c.line(), "closed after the third failure, the right cookie came too late");
  }

  @Test
  void quitNeedsNoAuthentication() throws Exception {
    Client c = tcp(server(Optional.empty(), new ControlAuth.Cookie(COOKIE)));
    c.send("quit\n");
    assertEquals("OK bye", c.line());
    assertNull(c.line());
  }

  @Test
  void aPasswordIsCheckedAgainstItsHash() throws Exception {
    PasswordHash hash = PasswordHash.create("correct horse", new SecureRandom());
    Client c = tcp(server(Optional.empty(), new ControlAuth.Password(hash)));
    c.send("auth correct hors\n");
    assertEquals(AuthGate.WRONG_SECRET, c.line());
    c.send("auth correct horse\nstatus\n");
    assertEquals("OK", c.line());
    assertEquals("all well", c.line());
  }

  @Test
  void withoutAuthenticationEveryCommandIsAnswered() throws Exception {
    Client c = tcp(server(Optional.empty(), new ControlAuth.None()));
    c.send("status\n");
    assertEquals("all well", c.line());
    assertEquals("OK", c.line());
  }

  @Test
  void theUnixSocketNeedsNoAuthLineAndIsMode0660() throws Exception {
    Path sock = dir.resolve("ctrl.sock");
    server(Optional.of(sock), new ControlAuth.Cookie(COOKIE));
    assertEquals(
        "rw-rw----",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(sock, LinkOption.NOFOLLOW_LINKS)));
    Client c = unix(sock);
    c.send("status\n");
    assertEquals("all well", c.line());
    assertEquals("OK", c.line());
  }

  @Test
  void aStaleSocketFileIsReplacedAndRemovedAtClose() throws Exception {
    Path sock = dir.resolve("ctrl.sock");
    // What a killed daemon leaves: a socket file nobody listens on (the JDK does not unlink it).
    try (ServerSocketChannel stale =
        ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(sock));
    }
    assertTrue(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
    assertThrows(IOException.class, () -> SocketChannel.open(UnixDomainSocketAddress.of(sock)));

    ControlServer s = server(Optional.of(sock), new ControlAuth.None());
    Client c = unix(sock);
    c.send("status\n");
    assertEquals("all well", c.line());

    s.close();
    assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "removed at close");
  }

  @Test
  void aSecondServerDoesNotStealALiveSocket() throws Exception {
    Path sock = dir.resolve("ctrl.sock");
    server(Optional.of(sock), new ControlAuth.None());
    IOException e =
        assertThrows(IOException.class, () -> server(Optional.of(sock), new ControlAuth.None()));
    assertTrue(
        e.getMessage().startsWith("cannot listen for control connections on " + sock),
        e.getMessage());
    assertTrue(e.getMessage().contains(".ctrl.sock.lock"), e.getMessage());
    Client c = unix(sock);
    c.send("status\n");
    assertEquals("all well", c.line(), "the first server still has its socket");
  }

  @Test
  void aFileThatIsNotASocketIsNotReplaced() throws Exception {
    Path sock = dir.resolve("ctrl.sock");
    Files.writeString(sock, "precious");
    IOException e =
        assertThrows(IOException.class, () -> server(Optional.of(sock), new ControlAuth.None()));
    assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
    assertEquals("precious", Files.readString(sock));
  }

  @Test
  void theCookieFileIs0640AndNewAtEachStart() throws Exception {
    Path file = dir.resolve("cookie");
    byte[] first = CookieFile.create(file, Optional.empty(), new SecureRandom());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("auth " + HexFormat.of().formatHex(first), CookieFile.authLine(file));
    byte[] second = CookieFile.create(file, Optional.empty(), new SecureRandom());
    assertFalse(java.util.Arrays.equals(first, second));
    assertEquals(32, Files.size(file));
    assertEquals(ByteBuffer.wrap(second), ByteBuffer.wrap(Files.readAllBytes(file)));
  }
}
