package org.flashflow.coord.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Behaviour;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Relay;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may reach the running coordinator: the control port with the cookie it wrote, the Unix socket
 * without, and (as root) the authority's tor user reading the bandwidth file but not the results
 * log.
 */
@Timeout(120)
class CoordAccessE2ETest {
  static final String FP = "AB".repeat(20);

  @TempDir Path dir;
  private CoordFixture coord;

  @BeforeEach
  void setUp() throws Exception {
    // As /var/lib is: others may pass through (not list) on the way to the data directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    FakeFlashFlowTor tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(new Relay("honest", FP, 300_000, 200_000), Behaviour.HONEST);
    coord =
        new CoordFixture(dir)
            .attach(tor)
            .set("coord", "ctrl_auth", "cookie")
            .set("coord", "ctrl_socket", dir.resolve("coord.sock").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    coord.close();
  }

  private List<String> overSocket(String command) throws Exception {
    try (SocketChannel ch =
        SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("coord.sock")))) {
      Channels.newOutputStream(ch).write((command + "\n").getBytes(StandardCharsets.UTF_8));
      var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      List<String> lines = new java.util.ArrayList<>();
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        lines.add(l);
        if (l.startsWith("OK") || l.startsWith("ERR")) {
          break;
        }
      }
      return lines;
    }
  }

  @Test
  void theControlPortWantsTheCookieAndTheSocketDoesNot() throws Exception {
    coord.startReady(); // its status polls authenticate with the cookie file

    Path cookie = dir.resolve("coord/ctrl_auth_cookie");
    assertEquals(32, Files.size(cookie));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(cookie)));
    assertEquals(List.of("ERR authenticate first"), ControlClient.run(coord.control(), "status"));

    List<String> status = overSocket("status");
    assertEquals("OK", status.get(status.size() - 1), status.toString());
    String port = Integer.toString(coord.control().getPort());
    assertTrue(
        status.contains(
            "control: 127.0.0.1:" + port + " (auth cookie) and " + dir.resolve("coord.sock")),
        status.toString());
  }

  private record Result(int exit, String out) {}

  private static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 30 s");
    }
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theTorUserReadsTheBandwidthFileButNotTheResultsLogOrKeys() throws Exception {
    ExternalTools.require(
        "root".equals(System.getProperty("user.name")), "root (to run cat as user debian-tor)");
    ExternalTools.require(
        Files.readString(Path.of("/etc/passwd")).contains("\ndebian-tor:"),
        "user debian-tor (Debian's tor package)");
    coord.trustedMeasurerKey("alice");
    coord.startReady();
    coord.measurer("alice", Script.honest(1_000_000));
    coord.awaitRecord(coord.measure("honest", FP));
    List<String> v3bw = coord.ctrl("v3bw");
    assertTrue(v3bw.get(0).startsWith("OK "), v3bw.toString());
    Path file = Path.of(v3bw.get(0).substring(3));
    Path link = dir.resolve("coord/v3bw/v3bw");
    assertEquals(file.toRealPath(), link.toRealPath());
    assertTrue(Files.exists(coord.resultsLog()), "the results log exists");

    Result bw = run("runuser", "-u", "debian-tor", "--", "cat", link.toString());
    assertEquals(new Result(0, Files.readString(file)), bw);
    Result log = run("runuser", "-u", "debian-tor", "--", "cat", coord.resultsLog().toString());
    assertNotEquals(0, log.exit(), log.out());
    assertTrue(log.out().contains("Permission denied"), log.out());
    Result keys = run("runuser", "-u", "debian-tor", "--", "ls", dir.resolve("coord").toString());
    assertNotEquals(0, keys.exit(), "the data directory cannot be listed: " + keys.out());
    Result cookie =
        run(
            "runuser",
            "-u",
            "debian-tor",
            "--",
            "cat",
            dir.resolve("coord/ctrl_auth_cookie").toString());
    assertNotEquals(0, cookie.exit(), "the cookie is not tor's: " + cookie.out());
  }
}
