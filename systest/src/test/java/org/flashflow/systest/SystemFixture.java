package org.flashflow.systest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.config.Config;
import org.flashflow.common.testing.FaultProxy;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.daemon.CoordDaemon;
import org.flashflow.measurer.MeasurerStatus;
import org.flashflow.measurer.daemon.MeasurerConfig;
import org.flashflow.measurer.daemon.MeasurerDaemon;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.RelaySpec;
import org.flashflow.testnet.TestnetConfig;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.TorAccess;
import org.flashflow.testnet.network.Testnet;

/**
 * A whole FlashFlow deployment over loopback for one test class: the emulated network (its
 * coordinator tor, one tor per measurer, the relays), a real coordinator attached to the emulated
 * coordinator tor, and real measurers attached to their emulated tors, each configured from INI
 * text as an operator would write it, with keys from {@link KeyGen}. Measurers run in this JVM
 * (directly connected, or through a {@link FaultProxy} that can cut their path), or as a separate
 * {@code java} process when a test must kill one with SIGKILL. Closing it stops everything it
 * started.
 */
final class SystemFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final double BG_PERCENT = 0.25;
  private static final String SEED = "systest";
  private static final Pattern MEASURE_OK = Pattern.compile("OK meas_id=(\\d+) fp=([0-9A-F]{40})");

  private final Path dir;
  private final List<RelaySpec> relays = new ArrayList<>();
  private final List<String> measurerNames = new ArrayList<>();
  private final Set<String> subprocessMeasurers = new LinkedHashSet<>();
  private final Set<String> proxiedMeasurers = new LinkedHashSet<>();
  private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> coordIni = new LinkedHashMap<>();
  private Duration circuitTimeout = Duration.ofSeconds(2);
  private Duration slowInterval = Duration.ofSeconds(6);

  private Testnet net;
  private CoordDaemon coord;
  private final Map<String, MeasurerDaemon> measurers = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private boolean coordProcess;
  private Process coordProc;
  private int coordStarts;
  private InetSocketAddress coordControl;

  SystemFixture(Path dir) {
    this.dir = dir.toAbsolutePath();
    Path c = this.dir.resolve("coord");
    coord("coord", "datadir", c.toString());
    coord("coord", "keydir", c.resolve("keys").toString());
    coord("coord", "listen_addr", "127.0.0.1:0");
    coord("coord", "ctrl_addr", "127.0.0.1:0");
    // Authentication is not what these tests are about (coord's ControlAuth tests are).
    coord("coord", "ctrl_auth", "none");
    coord("meas_params", "meas_duration", "4");
    coord("meas_params", "bg_percent", String.valueOf(BG_PERCENT));
    coord("schedule", "enabled", "false");
    coord("schedule", "num_circs", "10");
    coord("tor", "command_timeout", "5");
    coord("tor", "reconnect_max_backoff", "1");
  }

  /** Adds a relay; its fingerprint derives from the nickname. */
  SystemFixture relay(String nick, long capacity, double background, Behaviour behaviour) {
    relays.add(new RelaySpec(nick, Fingerprints.of(SEED, nick), capacity, background, behaviour));
    return this;
  }

  /** Adds a measurer (and its emulated tor) that runs in this JVM. */
  SystemFixture measurer(String name) {
    measurerNames.add(name);
    return this;
  }

  /** Adds a measurer that runs as a separate {@code java} process, so it can be SIGKILLed. */
  SystemFixture measurerProcess(String name) {
    subprocessMeasurers.add(name);
    return measurer(name);
  }

  /**
   * Adds a measurer that runs in this JVM and reaches the coordinator through a {@link FaultProxy}
   * of its own (see {@link #proxy}), so that a test can cut or slow down its path.
   */
  SystemFixture measurerViaProxy(String name) {
    proxiedMeasurers.add(name);
    return measurer(name);
  }

  /**
   * Runs the coordinator as a separate {@code java} process ({@link CoordMain}), so that a test can
   * SIGKILL it ({@link #killCoordinator}); {@link #coordinator} is then null.
   */
  SystemFixture coordinatorProcess() {
    coordProcess = true;
    return this;
  }

  /** Sets one coordinator config value (before {@link #start}, or before a restart). */
  SystemFixture coord(String section, String key, String value) {
    coordIni.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  SystemFixture circuitTimeout(Duration d) {
    circuitTimeout = d;
    return this;
  }

  SystemFixture slowInterval(Duration d) {
    slowInterval = d;
    return this;
  }

  /** Starts network, keys, coordinator and measurers; returns once all measurers are connected. */
  SystemFixture start() throws Exception {
    net =
        Testnet.start(
            new TestnetConfig(
                dir.resolve("testnet"),
                "127.0.0.1",
                0,
                BG_PERCENT,
                measurerNames,
                AuthMode.COOKIE,
                Optional.empty(),
                SEED,
                circuitTimeout,
                slowInterval,
                Duration.ofSeconds(45),
                relays));
    Path coordPem = Path.of(coordIni.get("coord").get("keydir")).resolve("coord.pem");
    KeyGen.generate("coord", coordPem);
    for (String name : measurerNames) {
      Path keydir = measurerDir(name).resolve("keys");
      KeyGen.generate(name, keydir.resolve(name + ".pem"));
      Files.writeString(coordPem.resolveSibling(name + ".pem"), certificate(keydir, name));
      Files.writeString(keydir.resolve("coord.pem"), certificate(coordPem.getParent(), "coord"));
    }
    TorAccess tor = net.coordinatorTor();
    coord("tor", "control_addr", tor.controlAddr());
    coord("tor", "cookie_file", tor.cookieFile().orElseThrow().toString());
    startCoordinator();
    for (String name : proxiedMeasurers) {
      proxies.put(name, FaultProxy.start(coord.measurerAddress()));
    }
    for (String name : measurerNames) {
      if (subprocessMeasurers.contains(name)) {
        startMeasurerProcess(name);
      } else {
        startMeasurer(name);
      }
    }
    awaitMeasurers(measurerNames.size());
    return this;
  }

  private Path measurerDir(String name) {
    return dir.resolve("meas-" + name);
  }

  private static String certificate(Path keydir, String name) throws IOException {
    String text = Files.readString(keydir.resolve(name + ".pem"), StandardCharsets.US_ASCII);
    int from = text.indexOf("-----BEGIN CERTIFICATE-----");
    assertTrue(from >= 0, "no certificate in " + keydir.resolve(name + ".pem"));
    return text.substring(from);
  }

  private static String ini(Map<String, Map<String, String>> sections) {
    StringBuilder sb = new StringBuilder();
    sections.forEach(
        (section, keys) -> {
          sb.append('[').append(section).append("]\n");
          keys.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        });
    return sb.toString();
  }

  /**
   * Starts a coordinator with the config so far and waits until its tor is READY. After the first
   * start the measurer listener keeps its port, so that measurers find a restarted coordinator.
   */
  void startCoordinator() throws Exception {
    if (coordProcess) {
      startCoordinatorProcess();
      awaitStatus(s -> s.contains("tor: READY"), "the coordinator's tor READY");
      return;
    }
    coord =
        CoordDaemon.start(
            CoordConfig.from(Config.parse(ini(coordIni), "systest")), clock(), "systest");
    coord("coord", "listen_addr", "127.0.0.1:" + coord.measurerAddress().getPort());
    awaitStatus(s -> s.contains("tor: READY"), "the coordinator's tor READY");
  }

  /**
   * Starts the coordinator process and returns once it listens (its control port is known), before
   * its tor is READY.
   */
  void startCoordinatorProcess() throws IOException {
    Path c = dir.resolve("coord");
    Files.createDirectories(c);
    Path ini = c.resolve("coord.ini");
    Files.writeString(ini, ini(coordIni));
    coordStarts++;
    Path out = coordLog(coordStarts);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx192m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CoordMain.class.getName(),
            ini.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    coordProc = p;
    Matcher ports =
        Await.value(
            Duration.ofSeconds(60),
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError("coordinator process exited: " + coordLogText(out));
              }
              Matcher m = CoordMain.PORTS.matcher(coordLogText(out));
              return m.find() ? m : null;
            },
            () -> "the coordinator process listening:\n" + coordLogText(out));
    coord("coord", "listen_addr", "127.0.0.1:" + ports.group(1));
    coordControl = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports.group(2)));
  }

  /** SIGKILL of the coordinator process; returns once it is gone. */
  void killCoordinator() throws InterruptedException {
    Process p = coordProc;
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "coordinator still running after SIGKILL");
  }

  private Path coordLog(int start) {
    return dir.resolve("coord").resolve("coord-" + start + ".log");
  }

  /** The output of the latest coordinator process. */
  String coordLog() {
    return coordLogText(coordLog(coordStarts));
  }

  private static String coordLogText(Path f) {
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  Path coordDir() {
    return Path.of(coordIni.get("coord").get("datadir"));
  }

  /** Shuts the coordinator down as SIGTERM would (live measurements end as SHUTDOWN). */
  void shutdownCoordinator() {
    coord.shutdown();
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }

  private String measurerIni(String name) {
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    Path d = measurerDir(name);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("datadir", d.toString());
    m.put("keydir", d.resolve("keys").toString());
    m.put("key", d.resolve("keys").resolve(name + ".pem").toString());
    m.put("coord_cert", d.resolve("keys").resolve("coord.pem").toString());
    FaultProxy proxy = proxies.get(name);
    m.put(
        "coord_addr",
        proxy == null
            ? coordIni.get("coord").get("listen_addr")
            : "127.0.0.1:" + proxy.address().getPort());
    s.put("measurer", m);
    TorAccess tor = net.measurerTors().get(name);
    Map<String, String> t = new LinkedHashMap<>();
    t.put("control_addr", tor.controlAddr());
    t.put("cookie_file", tor.cookieFile().orElseThrow().toString());
    t.put("command_timeout", "5");
    t.put("reconnect_max_backoff", "1");
    s.put("tor", t);
    return ini(s);
  }

  private void startMeasurer(String name) throws Exception {
    MeasurerConfig config =
        MeasurerConfig.from(Config.parse(measurerIni(name), "measurer " + name));
    measurers.put(name, MeasurerDaemon.start(config, clock()));
  }

  /** {@code java -cp <this test class path> MeasurerMain measurer.ini}, output to a file. */
  private void startMeasurerProcess(String name) throws IOException {
    Path ini = measurerDir(name).resolve("measurer.ini");
    Files.createDirectories(ini.getParent());
    Files.writeString(ini, measurerIni(name));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            MeasurerMain.class.getName(),
            ini.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(measurerDir(name).resolve("measurer.log").toFile());
    processes.put(name, pb.start());
  }

  /** The output of a subprocess measurer, for failure messages. */
  String processLog(String name) {
    try {
      File f = measurerDir(name).resolve("measurer.log").toFile();
      return f.exists() ? Files.readString(f.toPath()) : "(no output)";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** SIGKILL (no goodbye, no Failure message) and waits until the process is gone. */
  void killMeasurerProcess(String name) throws InterruptedException {
    Process p = processes.get(name);
    p.destroyForcibly();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "measurer " + name + " still running after kill");
  }

  /** The path of a measurer added with {@link #measurerViaProxy} to the coordinator. */
  FaultProxy proxy(String name) {
    FaultProxy p = proxies.get(name);
    if (p == null) {
      throw new AssertionError("measurer " + name + " has no proxy");
    }
    return p;
  }

  Testnet net() {
    return net;
  }

  CoordDaemon coordinator() {
    return coord;
  }

  MeasurerDaemon measurerDaemon(String name) {
    return measurers.get(name);
  }

  MeasurerStatus measurerStatus(String name) {
    try {
      return measurers.get(name).status();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  RelayEntry relay(String nick) {
    return net.relays().stream()
        .filter(r -> r.nickname().equals(nick))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no relay " + nick));
  }

  Path resultsLog() {
    return Path.of(coordIni.get("coord").get("datadir")).resolve("results").resolve("results.log");
  }

  InetSocketAddress control() {
    return coordProcess ? coordControl : coord.controlAddress();
  }

  List<String> ctrl(String command) {
    try {
      return ControlClient.run(control(), command);
    } catch (IOException e) {
      throw new UncheckedIOException("control command " + command, e);
    }
  }

  String status() {
    return String.join("\n", ctrl("status"));
  }

  void awaitStatus(Predicate<String> p, String what) {
    Await.until(WAIT, () -> p.test(status()), () -> what + " (last status:\n" + status() + ")");
  }

  void awaitMeasurers(int n) {
    awaitStatus(s -> s.contains("measurers: " + n + " connected"), n + " measurer(s) connected");
  }

  /** Waits until the coordinator's status shows {@code measId} ACTIVE with a second done. */
  void awaitActive(long measId) {
    Pattern active = Pattern.compile("meas_id=" + measId + " fp=\\S+ ACTIVE [1-9]\\d*/");
    awaitStatus(s -> active.matcher(s).find(), "meas_id " + measId + " ACTIVE with a second done");
  }

  /** {@code measure nick}, which must answer OK with the relay's fingerprint; the meas_id. */
  long measure(String nick) {
    List<String> reply = ctrl("measure " + nick);
    assertEquals(1, reply.size(), reply.toString());
    Matcher m = MEASURE_OK.matcher(reply.get(0));
    assertTrue(m.matches(), "measure " + nick + ": " + reply);
    assertEquals(relay(nick).fingerprint(), m.group(2), reply.toString());
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

  /** The record of {@code measId} once its END or FAIL is in the results log. */
  Record awaitRecord(long measId) {
    return awaitRecord(measId, WAIT);
  }

  Record awaitRecord(long measId, Duration timeout) {
    return Await.value(
        timeout,
        () -> {
          List<String> lines = results().stream().filter(l -> l.startsWith(measId + " ")).toList();
          if (lines.isEmpty()) {
            return null;
          }
          String last = lines.get(lines.size() - 1).split(" ")[2];
          return last.equals("END") || last.equals("FAIL") ? Record.of(lines) : null;
        },
        () -> "END or FAIL of meas_id " + measId + " in the results log:\n" + results());
  }

  /** Writes a bandwidth file now ({@code v3bw}) and returns its lines. */
  List<String> v3bw() throws IOException {
    List<String> reply = ctrl("v3bw");
    assertEquals(1, reply.size(), reply.toString());
    assertTrue(reply.get(0).startsWith("OK "), reply.toString());
    return Files.readAllLines(Path.of(reply.get(0).substring(3).strip()), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    for (MeasurerDaemon m : measurers.values()) {
      m.shutdown();
    }
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    if (coord != null) {
      coord.shutdown();
    }
    if (coordProc != null) {
      coordProc.destroyForcibly();
    }
    for (FaultProxy p : proxies.values()) {
      p.close();
    }
    if (net != null) {
      net.close();
    }
  }
}
