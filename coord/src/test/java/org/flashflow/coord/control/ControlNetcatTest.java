package org.flashflow.coord.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.net.Transport;
import org.flashflow.common.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket with the operator's real tools: OpenBSD netcat over TCP with the auth line and
 * over the Unix socket, and, as root, another user ({@code nobody}) who is refused by the socket's
 * mode unless the socket's group is theirs. Skipped without netcat or root, failed instead when
 * FLASHFLOW_REQUIRE_TOOLS=1 (CI runs as root and installs netcat-openbsd).
 */
class ControlNetcatTest {
  private static final byte[] COOKIE = HexFormat.of().parseHex("5a".repeat(32));

  @TempDir Path dir;
  private EventLoopGroup group;
  private final List<ControlServer> servers = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("ctrl-nc-test"), Transport.ioHandlerFactory());
    // Let other users pass through to the socket, so that only the socket's own mode decides.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
  }

  @AfterEach
  void tearDown() throws Exception {
    servers.forEach(ControlServer::close);
    assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
  }

  private ControlServer server(Optional<GroupPrincipal> socketGroup) throws IOException {
    ControlServer s =
        new ControlServer(
            new ControlServer.Access(
                Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.of(dir.resolve("ctrl.sock")),
                socketGroup,
                new ControlAuth.Cookie(COOKIE)),
            group.next(),
            (line, reply) ->
                reply.send(line.equals("status") ? List.of("all well", "OK") : List.of("ERR ?")));
    servers.add(s);
    s.start();
    return s;
  }

  private record Result(int exit, String out) {}

  /** Runs {@code command} with {@code stdin}, output and errors together, with a deadline. */
  private static Result run(String stdin, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 30 s");
    }
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static boolean openBsdNetcat() {
    try {
      Result r = run("", "nc", "-h");
      return r.out().contains("-U") && r.out().contains("-N");
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void netcatWithTheAuthLineGetsTheReply() throws Exception {
    ExternalTools.require(openBsdNetcat(), "OpenBSD netcat (nc with -U and -N)");
    ControlServer s = server(Optional.empty());
    String port = Integer.toString(s.boundAddress().getPort());
    // printf 'auth %s\nstatus\n' "$(xxd -p -c 64 cookie)" | nc -N localhost 12935
    Result r = run("auth " + "5a".repeat(32) + "\nstatus\n", "nc", "-N", "127.0.0.1", port);
    assertEquals(new Result(0, "OK\nall well\nOK\n"), r);
    Result wrong = run("auth " + "5b".repeat(32) + "\nstatus\n", "nc", "-N", "127.0.0.1", port);
    assertEquals(
        new Result(0, AuthGate.WRONG_SECRET + "\n" + AuthGate.NOT_AUTHENTICATED + "\n"), wrong);
  }

  @Test
  void netcatOnTheUnixSocketNeedsNoAuthLine() throws Exception {
    ExternalTools.require(openBsdNetcat(), "OpenBSD netcat (nc with -U and -N)");
    server(Optional.empty());
    Result r = run("status\n", "nc", "-N", "-U", dir.resolve("ctrl.sock").toString());
    assertEquals(new Result(0, "all well\nOK\n"), r);
  }

  @Test
  void anotherUserIsRefusedOnTheSocketUnlessInItsGroup() throws Exception {
    ExternalTools.require(root(), "root (to run netcat as user nobody)");
    ExternalTools.require(openBsdNetcat(), "OpenBSD netcat (nc with -U and -N)");
    ExternalTools.require(
        run("", "runuser", "-u", "nobody", "--", "true").exit() == 0, "runuser and user nobody");
    String sock = dir.resolve("ctrl.sock").toString();

    ControlServer s = server(Optional.empty()); // root's group: nobody is not in it
    Result refused = run("status\n", "runuser", "-u", "nobody", "--", "nc", "-N", "-U", sock);
    assertNotEquals(0, refused.exit(), refused.out());
    assertTrue(refused.out().contains("Permission denied"), refused.out());
    s.close();

    GroupPrincipal nogroup =
        FileSystems.getDefault()
            .getUserPrincipalLookupService()
            .lookupPrincipalByGroupName("nogroup");
    server(Optional.of(nogroup));
    Result allowed = run("status\n", "runuser", "-u", "nobody", "--", "nc", "-N", "-U", sock);
    assertEquals(new Result(0, "all well\nOK\n"), allowed);
  }
}
