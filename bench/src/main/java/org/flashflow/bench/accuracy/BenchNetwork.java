package org.flashflow.bench.accuracy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.flashflow.common.config.Config;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.coord.control.CookieFile;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.daemon.CoordDaemon;
import org.flashflow.measurer.daemon.MeasurerConfig;
import org.flashflow.measurer.daemon.MeasurerDaemon;
import org.flashflow.testnet.RelaySpec;
import org.flashflow.testnet.TestnetConfig;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.TorAccess;
import org.flashflow.testnet.network.Testnet;

/**
 * The system under measurement, in this process: the emulated network, a coordinator attached to
 * its coordinator tor, and measurers attached to their tors, configured from INI text with keys
 * from {@link KeyGen}, as an operator would set them up. Measurements are started on the control
 * socket ({@code measure NICK}) and read back from the results log.
 */
final class BenchNetwork implements AutoCloseable {
  static final double BG_PERCENT = 0.25;

  private final Testnet net;
  private final CoordDaemon coord;
  private final List<MeasurerDaemon> measurers = new ArrayList<>();
  private final Path resultsLog;
  private final Path cookieFile;
  private final int dur;

  BenchNetwork(Path dir, List<RelaySpec> relays, List<String> measurerNames, int dur, int circs)
      throws Exception {
    this.dur = dur;
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
                "bench-accuracy",
                Duration.ofSeconds(10),
                Duration.ofSeconds(6),
                Duration.ofSeconds(dur + 45L),
                relays));
    Path coordDir = dir.resolve("coord");
    Path coordKeys = coordDir.resolve("keys");
    KeyGen.generate("coord", coordKeys.resolve("coord.pem"));
    for (String name : measurerNames) {
      Path keys = dir.resolve("meas-" + name).resolve("keys");
      KeyGen.generate(name, keys.resolve(name + ".pem"));
      Files.writeString(coordKeys.resolve(name + ".pem"), certificate(keys.resolve(name + ".pem")));
      Files.writeString(keys.resolve("coord.pem"), certificate(coordKeys.resolve("coord.pem")));
    }
    resultsLog = coordDir.resolve("results").resolve("results.log");
    TorAccess ct = net.coordinatorTor();
    String coordIni =
        "[coord]\n"
            + ("datadir = " + coordDir + "\n")
            + "listen_addr = 127.0.0.1:0\n"
            + "ctrl_addr = 127.0.0.1:0\n"
            + "[meas_params]\n"
            + ("meas_duration = " + dur + "\n")
            + ("bg_percent = " + BG_PERCENT + "\n")
            + "[schedule]\n"
            + "enabled = false\n"
            + ("num_circs = " + circs + "\n")
            + tor(ct);
    CoordConfig coordConfig = CoordConfig.from(Config.parse(coordIni, "coord.ini"));
    cookieFile = coordConfig.control().cookieFile();
    coord = CoordDaemon.start(coordConfig, Clock.systemUTC(), "bench");
    for (String name : measurerNames) {
      Path d = dir.resolve("meas-" + name);
      String ini =
          "[measurer]\n"
              + ("datadir = " + d + "\n")
              + ("key = ${keydir}/" + name + ".pem\n")
              + ("coord_addr = 127.0.0.1:" + coord.measurerAddress().getPort() + "\n")
              + tor(net.measurerTors().get(name));
      measurers.add(
          MeasurerDaemon.start(
              MeasurerConfig.from(Config.parse(ini, name + ".ini")), Clock.systemUTC()));
    }
    await(
        Duration.ofSeconds(30),
        () -> {
          String s = String.join("\n", ctrl("status"));
          return s.contains("tor: READY") && s.contains("measurers: " + measurers.size() + " ")
              ? Boolean.TRUE
              : null;
        },
        "coordinator tor READY and every measurer connected");
  }

  private static String tor(TorAccess p) {
    return "[tor]\n"
        + ("control_addr = " + p.controlAddr() + "\n")
        + ("cookie_file = " + p.cookieFile().orElseThrow() + "\n");
  }

  private static String certificate(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    return text.substring(text.indexOf("-----BEGIN CERTIFICATE-----"));
  }

  Testnet testnet() {
    return net;
  }

  /**
   * Measures every relay of {@code queue}: whenever fewer than {@code parallel} run, starts the
   * largest waiting relay that keeps the running capacity within {@code maxLoad} bytes/s (any one
   * when nothing runs), never the same relay twice at once. Prints progress to stderr.
   */
  List<Measured> measureAll(List<RelaySpec> queue, int parallel, long maxLoad) {
    List<RelaySpec> waiting = new ArrayList<>(queue);
    waiting.sort(Comparator.comparingLong(RelaySpec::capacity).reversed());
    Map<Long, RelaySpec> running = new LinkedHashMap<>();
    Map<Long, Long> startedAt = new LinkedHashMap<>();
    List<Measured> done = new ArrayList<>();
    long timeout = Duration.ofSeconds(dur + 90L).toNanos();
    while (!waiting.isEmpty() || !running.isEmpty()) {
      long load = running.values().stream().mapToLong(RelaySpec::capacity).sum();
      for (RelaySpec s : List.copyOf(waiting)) {
        if (running.size() >= parallel) {
          break;
        }
        boolean busy = running.values().stream().anyMatch(x -> x.nickname().equals(s.nickname()));
        if (!busy && (running.isEmpty() || load + s.capacity() <= maxLoad)) {
          long id = measure(s.nickname());
          running.put(id, s);
          startedAt.put(id, System.nanoTime());
          waiting.remove(s);
          load += s.capacity();
        }
      }
      await(
          Duration.ofSeconds(dur + 120L),
          () -> {
            try {
              Map<Long, RelayOutcome> ended = outcomes();
              boolean any = false;
              for (Long id : List.copyOf(running.keySet())) {
                RelayOutcome out = ended.get(id);
                if (out == null && System.nanoTime() - startedAt.get(id) > timeout) {
                  out = new RelayOutcome("", "NO_RECORD", new long[0], new long[0], 0, 0);
                }
                if (out != null) {
                  done.add(new Measured(running.remove(id), id, out));
                  any = true;
                }
              }
              return any || running.isEmpty() ? Boolean.TRUE : null;
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          },
          "a measurement to end");
      System.err.printf(
          Locale.ROOT,
          "  %d measured, %d running, %d waiting%n",
          done.size(),
          running.size(),
          waiting.size());
    }
    return done;
  }

  /** Starts a measurement of {@code nick} now; its meas_id. */
  long measure(String nick) {
    List<String> reply = ctrl("measure " + nick);
    String last = reply.get(reply.size() - 1);
    if (!last.startsWith("OK meas_id=")) {
      throw new IllegalStateException("measure " + nick + ": " + reply);
    }
    return Long.parseLong(last.replaceAll("^OK meas_id=(\\d+).*$", "$1"));
  }

  /** The outcomes in the results log, by meas_id, of measurements that ended. */
  Map<Long, RelayOutcome> outcomes() throws IOException {
    Map<Long, List<String>> byId = new LinkedHashMap<>();
    if (!Files.exists(resultsLog)) {
      return Map.of();
    }
    for (String l : Files.readAllLines(resultsLog, StandardCharsets.UTF_8)) {
      if (!l.isEmpty() && !l.startsWith("#")) {
        byId.computeIfAbsent(Long.parseLong(l.split(" ", 2)[0]), k -> new ArrayList<>()).add(l);
      }
    }
    Map<Long, RelayOutcome> out = new LinkedHashMap<>();
    byId.forEach(
        (id, lines) -> {
          String kind = lines.get(lines.size() - 1).split(" ")[2];
          if (kind.equals("END") || kind.equals("FAIL")) {
            out.put(id, RelayOutcome.of(lines));
          }
        });
    return out;
  }

  private List<String> ctrl(String command) {
    InetSocketAddress a = coord.controlAddress();
    try (Socket s = new Socket()) {
      s.connect(a, 10_000);
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      // As flashflow ctrl does: the cookie the coordinator wrote first, then the command.
      String auth = CookieFile.authLine(cookieFile);
      out.write((auth + "\n" + command + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String authReply = in.readLine();
      if (authReply == null || !authReply.startsWith("OK")) {
        throw new IllegalStateException("control port refused the cookie: " + authReply);
      }
      List<String> lines = new ArrayList<>();
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        lines.add(l);
        if (l.startsWith("OK") || l.startsWith("ERR")) {
          break;
        }
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException("control command " + command + ": " + e, e);
    }
  }

  static <T> T await(Duration timeout, Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  @Override
  public void close() {
    measurers.forEach(MeasurerDaemon::shutdown);
    coord.shutdown();
    net.close();
  }
}
