package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.coord.control.CookieFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flashflow coord} as a real process, as systemd runs it: it starts, serves its control
 * socket, and exits 0 on SIGTERM and on SIGINT; startup errors exit 1 with one line naming what to
 * fix. Its tor is a minimal control-port stub in this test (FlashFlow-capable, NULL auth).
 */
class CoordProcessTest {
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Pattern CONTROL =
      Pattern.compile("for control commands on 127\\.0\\.0\\.1:(\\d+)");

  private static final List<String> SIGINT_RESTORED = sigintRestored();

  @TempDir Path dir;
  private StubTor tor;
  private Process process;

  @BeforeEach
  void setUp() throws IOException {
    tor = new StubTor();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    tor.close();
  }

  private Path config(String ctrlAddr) throws IOException {
    Path ini = dir.resolve("coord.ini");
    Files.writeString(
        ini,
        "[coord]\n"
            + "datadir = "
            + dir.resolve("data")
            + "\n"
            + "listen_addr = 127.0.0.1:0\n"
            + "ctrl_addr = "
            + ctrlAddr
            + "\n"
            + "[schedule]\n"
            + "enabled = false\n"
            + "[tor]\n"
            + "control_addr = 127.0.0.1:"
            + tor.port()
            + "\n"
            + "reconnect_max_backoff = 1\n");
    return ini;
  }

  private Path key() {
    return dir.resolve("data/keys/coord.pem");
  }

  /**
   * What starts the child with SIGINT at its default action: coreutils' {@code env
   * --default-signal=INT} (8.31 and later), else nothing. A job started with {@code &} by a
   * non-interactive shell, as CI runs the build, has SIGINT ignored; children inherit that, and a
   * JVM started with SIGINT ignored never installs a handler for it, so {@code kill -INT} would do
   * nothing.
   */
  private static List<String> sigintRestored() {
    try {
      Process p =
          new ProcessBuilder("env", "--default-signal=INT", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return List.of("env", "--default-signal=INT");
      }
      p.destroyForcibly();
    } catch (IOException e) {
      // no env on the PATH
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }

  /** Whether this process ignores SIGINT (bit 2 of {@code SigIgn} in /proc/self/status). */
  private static boolean sigintIgnoredHere() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  /** Starts {@code flashflow coord} in a new JVM; returns its control port once it answers. */
  private int startCoord() throws Exception {
    KeyGen.generate("coord", key());
    Path ini = config("127.0.0.1:0");
    Path log = dir.resolve("coord.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(SIGINT_RESTORED);
    command.addAll(
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "org.flashflow.cli.Main",
            "coord",
            "-c",
            ini.toString()));
    process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int port =
        await(
            STARTUP,
            () -> {
              Matcher m = CONTROL.matcher(read(log));
              return m.find() ? Integer.parseInt(m.group(1)) : null;
            },
            () -> "the coordinator to listen for control commands; its output:\n" + read(log));
    List<String> status =
        await(
            STARTUP,
            () -> {
              List<String> s = command(port, "status");
              return s.get(0).startsWith("tor: READY") ? s : null;
            },
            () -> "status to show tor READY; output:\n" + read(log));
    assertEquals("OK", status.get(status.size() - 1), status.toString());
    return port;
  }

  private void assertExitsZero(Path log) throws Exception {
    boolean exited = process.waitFor(20, TimeUnit.SECONDS);
    assertTrue(exited, "still running 20 s after the signal; output:\n" + read(log));
    assertEquals(0, process.exitValue(), read(log));
    assertTrue(read(log).contains("coordinator stopped"), read(log));
  }

  @Test
  void sigtermStopsTheCoordinatorWithExitCodeZero() throws Exception {
    int port = startCoord();

    process.destroy(); // SIGTERM on Linux

    assertExitsZero(dir.resolve("coord.log"));
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port)); // released
    }
  }

  @Test
  void sigintStopsTheCoordinatorWithExitCodeZero() throws Exception {
    assumeFalse(
        SIGINT_RESTORED.isEmpty() && sigintIgnoredHere(),
        "SIGINT is ignored in this process (a background job?) and env cannot restore it for the"
            + " child: skipping");
    startCoord();

    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, kill.exitValue());

    assertExitsZero(dir.resolve("coord.log"));
  }

  @Test
  void sighupReopensTheResultsLogAndDoesNotStopTheCoordinator() throws Exception {
    int port = startCoord();
    Path log = dir.resolve("coord.log");
    List<String> status =
        await(
            STARTUP,
            () -> {
              List<String> st = command(port, "status");
              return st.contains("latest results: 0 relays in memory") ? st : null;
            },
            () -> "status to show the latest results loaded; output:\n" + read(log));
    assertEquals("OK", status.get(status.size() - 1));

    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, kill.exitValue());

    await(
        STARTUP,
        () -> read(log).contains("reopening the results log") ? true : null,
        () -> "the coordinator to log the reopen; output:\n" + read(log));
    status = command(port, "status");
    assertEquals("OK", status.get(status.size() - 1), "still answering after SIGHUP");
    assertTrue(process.isAlive(), read(log));

    process.destroy();
    assertExitsZero(log);
  }

  private record Result(int exit, String out, String err) {}

  /** Runs {@code flashflow coord} in-process: only for runs that must fail at startup. */
  private static Result coordInProcess(Path ini) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          CommandLine cmd = Main.newCommandLine();
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          cmd.setOut(new PrintWriter(out, true));
          cmd.setErr(new PrintWriter(err, true));
          int exit = cmd.execute("coord", "-c", ini.toString());
          return new Result(exit, out.toString(), err.toString());
        });
  }

  @Test
  void aMissingKeyExitsOneNamingTheKeyAndKeygen() throws Exception {
    Result r = coordInProcess(config("127.0.0.1:0"));

    assertEquals(1, r.exit(), r.err());
    List<String> err = r.err().lines().toList();
    assertEquals(1, err.size(), r.err());
    assertTrue(err.get(0).startsWith("flashflow coord: "), r.err());
    assertTrue(err.get(0).contains(key().toString()), r.err());
    assertTrue(err.get(0).contains("flashflow keygen"), r.err());
    assertEquals(0, tor.connections(), "no tor connection for a coordinator that did not start");
  }

  @Test
  void aPortInUseExitsOneNamingTheAddress() throws Exception {
    KeyGen.generate("coord", key());
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String addr = "127.0.0.1:" + taken.getLocalPort();

      Result r = coordInProcess(config(addr));

      assertEquals(1, r.exit(), r.err());
      List<String> err = r.err().lines().toList();
      assertEquals(1, err.size(), r.err());
      assertTrue(err.get(0).startsWith("flashflow coord: cannot listen for control "), r.err());
      assertTrue(err.get(0).contains(" on " + addr + ": "), r.err());
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** One control command on a fresh connection; an empty-ish reply if it cannot connect. */
  /** One command over TCP, authenticated with the cookie the coordinator wrote, as an operator. */
  private List<String> command(int port, String line) {
    List<String> reply = new ArrayList<>();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      String auth = CookieFile.authLine(dir.resolve("data/ctrl_auth_cookie"));
      s.getOutputStream().write((auth + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String authReply = in.readLine();
      if (!"OK".equals(authReply)) {
        return List.of("(auth refused: " + authReply + ")");
      }
      String l;
      while ((l = in.readLine()) != null) {
        reply.add(l);
        if (l.startsWith("OK") || l.startsWith("ERR")) {
          break;
        }
      }
    } catch (IOException e) {
      reply.add("(no connection: " + e + ")");
    }
    if (reply.isEmpty()) {
      reply.add("(no reply)");
    }
    return reply;
  }

  /** Polls {@code probe} until non-null, with a deadline. */
  private static <T> T await(Duration timeout, Supplier<T> probe, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /**
   * The least of a FlashFlow-capable tor's control port that a coordinator needs to become READY:
   * PROTOCOLINFO (NULL auth), AUTHENTICATE, GETINFO version and events/names, SETEVENTS.
   */
  private static final class StubTor implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

    StubTor() throws IOException {
      Thread t = new Thread(this::accept, "stub-tor");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int connections() {
      return sockets.size();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          sockets.add(s);
          Thread t = new Thread(() -> serve(s), "stub-tor-session");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void serve(Socket s) {
      try (s;
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
        OutputStream out = s.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
          String reply;
          if (line.startsWith("PROTOCOLINFO")) {
            reply =
                "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=NULL\r\n"
                    + "250-VERSION Tor=\"0.4.9.11-stub\"\r\n250 OK\r\n";
          } else if (line.startsWith("AUTHENTICATE") || line.startsWith("SETEVENTS")) {
            reply = "250 OK\r\n";
          } else if (line.equals("GETINFO version")) {
            reply = "250-version=0.4.9.11-stub\r\n250 OK\r\n";
          } else if (line.equals("GETINFO events/names")) {
            reply = "250-events/names=CIRC STREAM FF_MEAS\r\n250 OK\r\n";
          } else {
            reply = "510 Unrecognized command\r\n";
          }
          out.write(reply.getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        // the coordinator went away
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
