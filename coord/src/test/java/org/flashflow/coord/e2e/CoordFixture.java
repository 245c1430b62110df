package org.flashflow.coord.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.config.Config;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.coord.control.CookieFile;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.daemon.CoordDaemon;
import org.flashflow.coord.e2e.TestMeasurer.Script;

/**
 * A real coordinator over loopback for one test: keys in a temporary directory, a config built from
 * INI text as an operator would write it (3 s measurements, no schedule), the daemon, test
 * measurers and a control client. Closing it stops everything it started.
 */
final class CoordFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final Pattern MEASURE_OK = Pattern.compile("OK meas_id=(\\d+) fp=([0-9A-F]{40})");

  private final Path dir;
  private final Path keydir;
  private final Path coordPem;
  private final Map<String, Map<String, String>> ini = new LinkedHashMap<>();
  private final EventLoopGroup clients =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<TestMeasurer> measurers = new ArrayList<>();
  private FakeFlashFlowTor fakeTor;
  private CoordDaemon daemon;

  CoordFixture(Path dir) throws IOException {
    this.dir = dir;
    this.keydir = dir.resolve("keys");
    this.coordPem = keydir.resolve("coord.pem");
    KeyGen.generate("coord", coordPem);
    set("coord", "datadir", dir.resolve("coord").toString());
    set("coord", "keydir", keydir.toString());
    set("coord", "listen_addr", "127.0.0.1:0");
    set("coord", "ctrl_addr", "127.0.0.1:0");
    // Authentication is the subject of CoordControlAuthE2ETest only; the others speak as before.
    set("coord", "ctrl_auth", "none");
    set("meas_params", "meas_duration", "3");
    set("meas_params", "bg_percent", "0.25");
    set("schedule", "enabled", "false");
    set("schedule", "num_circs", "10");
    set("tor", "command_timeout", "5");
    set("tor", "reconnect_max_backoff", "1");
  }

  /**
   * A coordinator with a fake tor that knows one honest relay {@code relay1} ({@code fp}, 1000 B/s)
   * and trusts measurers alice and bob: what tests about the measurer peers themselves need.
   */
  static CoordFixture oneRelayTwoMeasurers(Path dir, String fp) throws IOException {
    FakeFlashFlowTor tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(
        new FakeFlashFlowTor.Relay("relay1", fp, 1000, 1000), FakeFlashFlowTor.Behaviour.HONEST);
    CoordFixture coord = new CoordFixture(dir).attach(tor);
    coord.trustedMeasurerKey("alice");
    coord.trustedMeasurerKey("bob");
    return coord;
  }

  /** Sets one config value (before {@link #start}). */
  CoordFixture set(String section, String key, String value) {
    ini.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  /** Attaches the coordinator to {@code tor}, which this fixture then closes. */
  CoordFixture attach(FakeFlashFlowTor tor) {
    this.fakeTor = tor;
    return set("tor", "control_addr", "127.0.0.1:" + tor.port());
  }

  Path dir() {
    return dir;
  }

  Path coordPem() {
    return coordPem;
  }

  Path resultsLog() {
    return dir.resolve("coord/results/results.log");
  }

  String iniText() {
    StringBuilder sb = new StringBuilder();
    ini.forEach(
        (section, keys) -> {
          sb.append('[').append(section).append("]\n");
          keys.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        });
    return sb.toString();
  }

  /** A key for measurer {@code name} whose certificate the coordinator trusts. */
  Path trustedMeasurerKey(String name) throws IOException {
    Path pem = dir.resolve("measurer-keys").resolve(name + ".pem");
    if (!Files.exists(pem)) {
      KeyGen.generate(name, pem);
      Files.writeString(keydir.resolve(name + ".pem"), certificateOnly(pem));
    }
    return pem;
  }

  /** A key for measurer {@code name} that the coordinator has never heard of. */
  Path untrustedKey(String name) throws IOException {
    Path pem = dir.resolve("untrusted").resolve(name + ".pem");
    KeyGen.generate(name, pem);
    return pem;
  }

  private static String certificateOnly(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int from = text.indexOf("-----BEGIN CERTIFICATE-----");
    assertTrue(from >= 0, "no certificate in " + pem);
    return text.substring(from);
  }

  /** Starts the daemon with the config so far; trusted keys must exist by now. */
  CoordFixture start() throws Exception {
    CoordConfig config = CoordConfig.from(Config.parse(iniText(), "test"));
    daemon = CoordDaemon.start(config, Clock.systemUTC(), "test");
    return this;
  }

  CoordDaemon daemon() {
    return daemon;
  }

  InetSocketAddress control() {
    return daemon.controlAddress();
  }

  /** Starts the daemon and waits until its tor is READY. */
  CoordFixture startReady() throws Exception {
    start();
    awaitStatus(s -> s.contains("tor: READY"), "tor READY");
    return this;
  }

  /** Connects measurer {@code name} (trusted) and waits until {@code status} lists it. */
  TestMeasurer measurer(String name, Script script) throws Exception {
    TestMeasurer m = connect(name, trustedMeasurerKey(name), script);
    String local = "127.0.0.1:" + ((InetSocketAddress) m.channel().localAddress()).getPort();
    awaitStatus(
        s -> s.contains("  " + name + " from " + local + ","), "measurer " + name + " in status");
    return m;
  }

  /** Connects with {@code pem} and does not wait for the coordinator's verdict. */
  TestMeasurer connect(String name, Path pem, Script script) throws Exception {
    TestMeasurer m =
        TestMeasurer.connect(name, clients, daemon.measurerAddress(), pem, coordPem, script);
    measurers.add(m);
    return m;
  }

  /** One control command on a fresh connection. */
  List<String> ctrl(String command) {
    try {
      if (ini.get("coord").get("ctrl_auth").equals("cookie")) {
        try (ControlClient c = new ControlClient(control())) {
          List<String> auth = c.command(CookieFile.authLine(dir.resolve("coord/ctrl_auth_cookie")));
          assertEquals(List.of("OK"), auth, "the cookie's auth line");
          return c.command(command);
        }
      }
      return ControlClient.run(control(), command);
    } catch (IOException e) {
      throw new UncheckedIOException("control command " + command, e);
    }
  }

  String status() {
    return String.join("\n", ctrl("status"));
  }

  void awaitStatus(Predicate<String> p, String what) {
    awaitStatus(WAIT, p, what);
  }

  void awaitStatus(Duration timeout, Predicate<String> p, String what) {
    Await.until(timeout, () -> p.test(status()), what + " (last status:\n" + status() + ")");
  }

  /** {@code measure relay}, which must answer OK; returns the meas_id. */
  long measure(String relay, String expectedFp) {
    List<String> reply = ctrl("measure " + relay);
    assertEquals(1, reply.size(), reply.toString());
    Matcher m = MEASURE_OK.matcher(reply.get(0));
    assertTrue(m.matches(), "measure " + relay + ": " + reply);
    assertEquals(expectedFp, m.group(2));
    return Long.parseLong(m.group(1));
  }

  /** The results log, line by line; empty while it does not exist. */
  List<String> results() {
    try {
      return Files.exists(resultsLog())
          ? Files.readAllLines(resultsLog(), StandardCharsets.UTF_8)
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lines of measurement {@code measId} once its END or FAIL is in the results log and the
   * coordinator has taken it in. The lines are visible in the file before the fsync returns, and
   * the in-memory results (what {@code v3bw} writes from) are updated on the loop after it, in the
   * same task that forgets the measurement; so this also waits until {@code status} no longer lists
   * it.
   */
  List<String> awaitRecord(long measId) {
    List<String> lines = awaitRecordLines(measId);
    awaitStatus(s -> !s.contains("meas_id=" + measId + " "), "meas_id " + measId + " forgotten");
    return lines;
  }

  private List<String> awaitRecordLines(long measId) {
    return Await.value(
        WAIT,
        () -> {
          List<String> lines = linesOf(measId);
          if (!lines.isEmpty()) {
            String[] last = lines.get(lines.size() - 1).split(" ");
            if (last[2].equals("END") || last[2].equals("FAIL")) {
              return lines;
            }
          }
          return null;
        },
        "END or FAIL of meas_id " + measId + " in the results log (log: " + results() + ")");
  }

  List<String> linesOf(long measId) {
    return results().stream().filter(l -> l.startsWith(measId + " ")).toList();
  }

  /** The meas_id of the only BEGIN of {@code fp} in the results log, once it is there. */
  long awaitMeasIdOf(String fp) {
    return Await.value(
        WAIT,
        () ->
            results().stream()
                .filter(l -> l.endsWith(" BEGIN " + fp))
                .map(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst()
                .orElse(null),
        "a BEGIN of " + fp + " in the results log");
  }

  /** Asserts that {@code lines} are one failed measurement of {@code fp}: BEGIN, FAIL reason. */
  static String assertFailed(List<String> lines, String fp, String reason) {
    assertEquals(2, lines.size(), "BEGIN and FAIL only: " + lines);
    String[] begin = lines.get(0).split(" ");
    assertEquals("BEGIN", begin[2], lines.toString());
    assertEquals(fp, begin[3], lines.toString());
    String[] fail = lines.get(1).split(" ", 5);
    assertEquals("FAIL", fail[2], lines.toString());
    assertEquals(reason, fail[3], lines.toString());
    return fail.length > 4 ? fail[4] : "";
  }

  /**
   * The exact lines of a completed measurement: BEGIN, then per second one MEASR per measurer (in
   * the order given) and BG, all with {@code ts = begin + i}, then END at {@code begin + dur}.
   */
  static List<String> expectedCompleted(
      long measId, long beginTs, String fp, int dur, List<Long> recv, long claimed, long maxBg) {
    List<String> out = new ArrayList<>();
    out.add(measId + " " + beginTs + " BEGIN " + fp);
    for (int i = 0; i < dur; i++) {
      for (long r : recv) {
        out.add(measId + " " + (beginTs + i) + " MEASR " + r);
      }
      out.add(measId + " " + (beginTs + i) + " BG " + claimed + " " + maxBg);
    }
    out.add(measId + " " + (beginTs + dur) + " END");
    return out;
  }

  static long beginTs(List<String> lines) {
    return Long.parseLong(lines.get(0).split(" ")[1]);
  }

  @Override
  public void close() throws Exception {
    for (TestMeasurer m : measurers) {
      m.close();
    }
    if (daemon != null) {
      daemon.shutdown();
    }
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    if (fakeTor != null) {
      fakeTor.close();
    }
  }
}
