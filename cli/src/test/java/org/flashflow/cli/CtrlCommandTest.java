package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.testing.ClosedPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flashflow ctrl} against a scripted control socket on loopback. */
class CtrlCommandTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private ServerSocket server;

  @AfterEach
  void tearDown() throws IOException {
    if (server != null) {
      server.close();
    }
    executor.shutdownNow();
  }

  /**
   * Accepts one connection, reads one line, writes {@code reply}; then closes at once if {@code
   * closeAfterReply}, else waits for the client to close (so a client that waits for EOF hangs and
   * hits its --timeout instead of passing). Completes with the line it read.
   */
  private CompletableFuture<String> serve(String reply, boolean closeAfterReply)
      throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture<String> received = new CompletableFuture<>();
    executor.execute(
        () -> {
          try (Socket s = server.accept()) {
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            received.complete(in.readLine());
            OutputStream os = s.getOutputStream();
            os.write(reply.getBytes(StandardCharsets.UTF_8));
            os.flush();
            if (!closeAfterReply) {
              while (in.readLine() != null) {
                // Drain until the client closes.
              }
            }
          } catch (IOException | RuntimeException e) {
            received.completeExceptionally(e);
          }
        });
    return received;
  }

  private String addr() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "ctrl";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private List<String> outLines() {
    return out.toString().lines().toList();
  }

  @Test
  void okExitsZeroAndStopsAtTheOkLine() throws Exception {
    CompletableFuture<String> received =
        serve("OK meas_id=7 fp=" + "AB".repeat(20) + "\nnot part of the reply\n", false);
    int code = run("--addr", addr(), "--timeout", "10 s", "measure", "AB".repeat(20));
    assertEquals(0, code, err.toString());
    assertEquals("measure " + "AB".repeat(20), received.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("OK meas_id=7 fp=" + "AB".repeat(20)), outLines());
    assertEquals("", err.toString());
  }

  @Test
  void errExitsOne() throws Exception {
    CompletableFuture<String> received = serve("ERR unknown relay nosuch\n", false);
    int code = run("--addr", addr(), "--timeout", "10 s", "measure", "nosuch");
    assertEquals(1, code, err.toString());
    assertEquals("measure nosuch", received.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("ERR unknown relay nosuch"), outLines());
  }

  @Test
  void multiLineReplyIsPrintedInFull() throws Exception {
    CompletableFuture<String> received =
        serve("tor: ready\r\nmeasurers: alice bob\nlive: none\nOK\n", false);
    int code = run("--addr", addr(), "--timeout", "10 s", "status");
    assertEquals("status", received.get(10, TimeUnit.SECONDS));
    assertEquals(0, code, err.toString());
    assertEquals(List.of("tor: ready", "measurers: alice bob", "live: none", "OK"), outLines());
  }

  @Test
  void statusJsonAsksForJsonAndPrintsOnlyTheObject() throws Exception {
    CompletableFuture<String> received = serve("{\"version\":\"x\",\"tor\":{}}\nOK\n", false);
    int code = run("--addr", addr(), "--timeout", "10 s", "status", "--json");
    assertEquals("status json", received.get(10, TimeUnit.SECONDS));
    assertEquals(0, code, err.toString());
    assertEquals(List.of("{\"version\":\"x\",\"tor\":{}}"), outLines());
  }

  @Test
  void jsonGoesWithStatusOnly() throws Exception {
    assertEquals(2, run("--addr", "127.0.0.1:1", "--json", "v3bw"));
    assertTrue(err.toString().contains("--json goes with the status command only"), err.toString());
  }

  @Test
  void aLineThatOnlyContainsOkDoesNotEndTheReply() throws Exception {
    CompletableFuture<String> received = serve("tor: OK\nERR tor not ready\n", false);
    assertEquals(1, run("--addr", addr(), "--timeout", "10 s", "v3bw"));
    assertEquals("v3bw", received.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("tor: OK", "ERR tor not ready"), outLines());
  }

  @Test
  void earlyCloseExitsTwoAndSaysSo() throws Exception {
    CompletableFuture<String> received = serve("tor: ready\n", true);
    int code = run("--addr", addr(), "--timeout", "10 s", "status");
    assertEquals("status", received.get(10, TimeUnit.SECONDS));
    assertEquals(2, code);
    assertEquals(List.of("tor: ready"), outLines());
    assertEquals(
        "flashflow ctrl: "
            + addr()
            + " closed the connection before a line starting with OK or ERR",
        err.toString().strip());
  }

  @Test
  void noReplyWithinTheTimeoutExitsTwo() throws Exception {
    CompletableFuture<String> received = serve("", false);
    int code = run("--addr", addr(), "--timeout", "200 ms", "status");
    assertEquals("status", received.get(10, TimeUnit.SECONDS));
    assertEquals(2, code);
    assertEquals(
        "flashflow ctrl: no complete reply from " + addr() + " within 200 ms",
        err.toString().strip());
  }

  @Test
  void connectionRefusedExitsTwoWithOneLine() throws Exception {
    // Held for the whole test: a port freed a moment ago may be taken by then.
    try (ClosedPort closed = ClosedPort.closed()) {
      int port = closed.port();
      int code = run("--addr", "127.0.0.1:" + port, "status");
      assertEquals(2, code);
      assertEquals(
          "flashflow ctrl: cannot connect to 127.0.0.1:" + port + ": Connection refused\n",
          err.toString().replace(System.lineSeparator(), "\n"));
      assertEquals("", out.toString());
    }
  }

  @Test
  void addressFromConfigFile(@TempDir Path dir) throws Exception {
    CompletableFuture<String> received = serve("OK\n", false);
    Path ini = dir.resolve("ctrl.ini");
    Files.writeString(ini, "[ctrl]\ncoord_addr = " + addr() + "\nauth = none\n");
    assertEquals(0, run("-c", ini.toString(), "--timeout", "10 s", "help"), err.toString());
    assertEquals("help", received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void configErrorsAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.ini");
    assertEquals(2, run("-c", missing.toString(), "status"));
    assertEquals("flashflow ctrl: config file " + missing + " not found", err.toString().strip());

    err.getBuffer().setLength(0);
    Path bad = dir.resolve("bad.ini");
    Files.writeString(bad, "[ctrl]\ncoord_addr = localhost:99999\n");
    assertEquals(2, run("-c", bad.toString(), "status"));
    assertEquals(
        "flashflow ctrl: [ctrl] coord_addr = \"localhost:99999\": expected host:port with a port"
            + " from 0 to 65535 (IPv6 in brackets: [::1]:12935)",
        err.toString().strip());
  }

  @Test
  void badAddrOrTimeoutExitTwo() {
    assertEquals(2, run("--addr", "nohostport", "status"));
    assertTrue(
        err.toString().startsWith("flashflow ctrl: --addr \"nohostport\": expected host:port"));

    err.getBuffer().setLength(0);
    assertEquals(2, run("--addr", "127.0.0.1:1", "--timeout", "soon", "status"));
    assertTrue(
        err.toString().startsWith("flashflow ctrl: --timeout \"soon\": expected a duration"));
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("--addr", "127.0.0.1:1"));
    assertTrue(err.toString().contains("Missing required parameter"), err.toString());

    err.getBuffer().setLength(0);
    assertEquals(2, run("--addr", "127.0.0.1:1", "-c", "x.ini", "status"));
    assertTrue(err.toString().contains("mutually exclusive"), err.toString());

    err.getBuffer().setLength(0);
    assertEquals(2, run("--addr", "127.0.0.1:1", "measure\nv3bw"));
    assertTrue(err.toString().contains("COMMAND must be one non-empty line"), err.toString());
  }
}
