package org.flashflow.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.loop.LoopCalls;
import org.flashflow.common.loop.NettyLoop;
import org.flashflow.common.metrics.MetricsEndpoint;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.CoordSettings;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.measurer.MeasurerServer;
import org.flashflow.coord.metrics.PrometheusCoordMetrics;
import org.flashflow.coord.results.ResultsLogWriter;
import org.flashflow.torctl.model.TorState;

/**
 * Coordinator load harness (prints numbers; not a test). Wires the real coordinator in-process the
 * way {@code CoordDaemon} does (one single-thread event loop, {@link NettyLoop}, the real {@link
 * Coordinator}, {@link MeasurerServer} with mutual TLS, {@link ResultsLogWriter} with fsync), fakes
 * only tor ({@link BenchTor}), and drives it with K real TLS measurer clients on a second event
 * loop, keeping M measurements running with their reports sped up far beyond one a second.
 *
 * <p>Usage: {@code CoordLoadBench K M DURATION WARMUP [--rate=R] [--dur=30] [--per-meas=3]
 * [--runs=3] [--log=info]}; see {@link Options}.
 */
public final class CoordLoadBench {
  private CoordLoadBench() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("coord-load-bench: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    Path tmp = Files.createTempDirectory("ff-bench-");
    // Before the first logger exists: logback.xml of this module logs to this file.
    System.setProperty("flashflow.bench.log", tmp.resolve("coord.log").toString());
    System.setProperty("flashflow.bench.level", o.logLevel());
    List<Row> rows = run(o, tmp);
    print(o, rows, tmp);
    System.exit(0);
  }

  private static List<Row> run(Options o, Path tmp) throws Exception {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Path coordPem = keys.resolve("coord.pem");
    KeyGen.generate("coord", coordPem);
    List<String> names = new ArrayList<>();
    List<Path> measurerPems = new ArrayList<>();
    for (int i = 1; i <= o.measurers(); i++) {
      names.add("m" + i);
      Path pem = keys.resolve("m" + i + ".pem");
      KeyGen.generate("m" + i, pem);
      measurerPems.add(pem);
    }

    EventLoopGroup coordGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("coord-loop"), NioIoHandler.newFactory());
    EventLoopGroup clientGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("bench-measurers"), NioIoHandler.newFactory());
    EventLoop eventLoop = coordGroup.next();
    NettyLoop loop = new NettyLoop(eventLoop, Clock.systemUTC());
    BenchClock clock = new BenchClock();
    long interval = o.intervalNanos();

    Path resultsLog =
        o.resultsDir().isEmpty()
            ? tmp.resolve("results").resolve("results.log")
            : Files.createTempDirectory(Path.of(o.resultsDir()), "ff-bench-results-")
                .resolve("results.log");
    System.err.println("results log: " + resultsLog);
    CoordMetrics metrics = CoordMetrics.NONE;
    if (o.metrics()) {
      PrometheusRegistry registry = new PrometheusRegistry();
      metrics = new PrometheusCoordMetrics(registry, Clock.systemUTC(), "bench");
      MetricsEndpoint endpoint = MetricsEndpoint.start(new HostPort("127.0.0.1", 0), registry);
      Scraper.start(endpoint.address());
      System.err.println("metrics on " + endpoint.address() + ", scraped once a second");
    }
    ResultsLogWriter results =
        new ResultsLogWriter(
            resultsLog,
            loop,
            e -> System.err.println("results log cannot be written: " + e),
            record -> {},
            metrics);
    BenchTor tor = new BenchTor(loop, clientGroup.next(), interval);
    CoordSettings settings = CoordSettings.of(o.dur(), CoordSettings.DEFAULT_BG_PERCENT);
    Driver driver = new Driver(loop, names, o.perMeas(), settings.numCircs());
    Coordinator coordinator =
        new Coordinator(loop, settings, tor, results, driver, new SecureRandom(), metrics);
    tor.setCoordinator(coordinator);
    driver.setCoordinator(coordinator);
    TimingListener timing = new TimingListener(coordinator, clock, loop);
    SslContext serverTls = TlsContexts.server(coordPem, measurerPems);
    MeasurerServer server =
        new MeasurerServer(new InetSocketAddress("127.0.0.1", 0), eventLoop, serverTls, timing);
    InetSocketAddress bound = server.start();
    onLoop(
        loop,
        () -> {
          coordinator.torStateChanged(TorState.READY, "");
          return null;
        });

    BenchMeasurers clients = new BenchMeasurers(clientGroup, clock, interval);
    for (int i = 0; i < o.measurers(); i++) {
      clients.connect(bound, TlsContexts.client(measurerPems.get(i), coordPem));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (onLoop(loop, timing::connected) < o.measurers()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("measurers did not connect; see " + tmp);
      }
      Thread.sleep(20);
    }

    long loopThread = onLoop(loop, () -> Thread.currentThread().getId());
    long clientThread =
        CompletableFuture.supplyAsync(() -> Thread.currentThread().getId(), clientGroup.next())
            .get();
    Probe probe = new Probe(loopThread, clientThread);

    onLoop(
        loop,
        () -> {
          driver.start(o.concurrent());
          return null;
        });
    System.err.printf(
        Locale.ROOT, "warming up %d s (logs and results in %s)%n", o.warmup().toSeconds(), tmp);
    Thread.sleep(o.warmup().toMillis());

    List<Row> rows = new ArrayList<>();
    for (int r = 1; r <= o.runs(); r++) {
      Snapshot start = onLoop(loop, () -> probe.snapshot(timing, tor, driver, true));
      Thread.sleep(o.duration().toMillis());
      Snapshot end = onLoop(loop, () -> probe.snapshot(timing, tor, driver, false));
      Histogram latency = onLoop(loop, timing::latencies);
      Histogram core = onLoop(loop, timing::coreTimes);
      Row row = Row.of(start, end, latency, core);
      rows.add(row);
      System.err.println("run " + r + ": " + row.line("" + r));
    }

    onLoop(
        loop,
        () -> {
          driver.stop();
          return null;
        });
    List<String> failures = onLoop(loop, driver::failures);
    if (!failures.isEmpty()) {
      System.out.println("first failures: " + failures);
    }
    clients.close();
    server.close();
    onLoop(
        loop,
        () -> {
          coordinator.shutdown();
          return null;
        });
    results.close(Duration.ofSeconds(10));
    clientGroup
        .shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    coordGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    return rows;
  }

  private static <T> T onLoop(NettyLoop loop, Callable<T> task) throws Exception {
    return LoopCalls.call(loop::execute, task, Duration.ofSeconds(30));
  }

  private static void print(Options o, List<Row> rows, Path tmp) throws IOException {
    System.out.printf(
        Locale.ROOT,
        "coordinator load: K=%d measurers, M=%d concurrent measurements, %d measurers and %d"
            + " reports each, %s, %d run(s) of %d s after %d s warmup%n",
        o.measurers(),
        o.concurrent(),
        o.perMeas(),
        o.dur(),
        o.rate() == 0
            ? "reports as fast as possible (all dur at Go)"
            : "paced at " + o.rate() + " measurer reports/s in all",
        o.runs(),
        o.duration().toSeconds(),
        o.warmup().toSeconds());
    System.out.println(Row.HEADER);
    for (int i = 0; i < rows.size(); i++) {
      System.out.println(rows.get(i).line(String.valueOf(i + 1)));
    }
    if (rows.size() > 1) {
      System.out.println(Row.median(rows).line("median"));
    }
    System.out.println(
        "latency: client send (ts) to the coordinator done with the report; core: the"
            + " Coordinator's own share. loop CPU: the coordinator's event-loop thread; process CPU"
            + " includes the measurer clients, fsync thread, GC and JIT. CPU % is of one core;"
            + " others%: the rest of the machine (other programs), from /proc/stat.");
    long warnings;
    Path log = tmp.resolve("coord.log");
    try (Stream<String> lines = Files.exists(log) ? Files.lines(log) : Stream.empty()) {
      warnings = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
    }
    System.out.println("WARN/ERROR lines in " + log + ": " + warnings);
  }

  /** Counters read on the loop, CPU clocks read with them. */
  record Snapshot(
      long nanos,
      long reports,
      long bgEvents,
      long completed,
      long failed,
      long loopCpu,
      long clientCpu,
      long processCpu,
      long machineBusyNanos,
      long gcMillis) {}

  private static final class Probe {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final long loopThread;
    private final long clientThread;

    Probe(long loopThread, long clientThread) {
      this.loopThread = loopThread;
      this.clientThread = clientThread;
    }

    /** Runs on the loop, so the counters are consistent with each other. */
    Snapshot snapshot(TimingListener timing, BenchTor tor, Driver driver, boolean startWindow) {
      if (startWindow) {
        timing.startRecording();
      } else {
        timing.stopRecording();
      }
      long gc = 0;
      for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
        gc += Math.max(0, b.getCollectionTime());
      }
      return new Snapshot(
          System.nanoTime(),
          timing.reports(),
          tor.bgEvents(),
          driver.completed(),
          driver.failed() + driver.refused(),
          threads.getThreadCpuTime(loopThread),
          threads.getThreadCpuTime(clientThread),
          os.getProcessCpuTime(),
          machineBusyNanos(),
          gc);
    }
  }

  /**
   * CPU time all processes spent busy so far (Linux {@code /proc/stat}), to tell how much of the
   * machine other programs took during a window; -1 where that file is missing.
   */
  private static long machineBusyNanos() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...; USER_HZ is 100 on Linux.
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** One measured window. */
  record Row(
      double reportsPerSec,
      double bgPerSec,
      double measPerSec,
      long failed,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double coreP99Us,
      double loopCpuPct,
      double loopCpuMsPerMeas,
      double clientCpuPct,
      double processCpuMsPerMeas,
      double othersCpuPct,
      long gcMillis) {
    static final String HEADER =
        String.format(
            Locale.ROOT,
            "%-6s %10s %9s %8s %5s %8s %8s %8s %9s %7s %10s %7s %10s %7s %6s",
            "run",
            "reports/s",
            "bg ev/s",
            "meas/s",
            "fail",
            "p50 ms",
            "p99 ms",
            "max ms",
            "core p99",
            "loop%",
            "loop ms/m",
            "client%",
            "proc ms/m",
            "others%",
            "gc ms");

    static Row of(Snapshot a, Snapshot b, Histogram latency, Histogram core) {
      double secs = (b.nanos() - a.nanos()) / 1e9;
      long meas = b.completed() - a.completed();
      double perMeas = Math.max(1, meas);
      return new Row(
          (b.reports() - a.reports()) / secs,
          (b.bgEvents() - a.bgEvents()) / secs,
          meas / secs,
          b.failed() - a.failed(),
          latency.percentileNanos(50) / 1e6,
          latency.percentileNanos(99) / 1e6,
          latency.maxNanos() / 1e6,
          core.percentileNanos(99) / 1e3,
          100.0 * (b.loopCpu() - a.loopCpu()) / (b.nanos() - a.nanos()),
          (b.loopCpu() - a.loopCpu()) / 1e6 / perMeas,
          100.0 * (b.clientCpu() - a.clientCpu()) / (b.nanos() - a.nanos()),
          (b.processCpu() - a.processCpu()) / 1e6 / perMeas,
          a.machineBusyNanos() < 0
              ? Double.NaN
              : 100.0
                  * ((b.machineBusyNanos() - a.machineBusyNanos())
                      - (b.processCpu() - a.processCpu()))
                  / (b.nanos() - a.nanos()),
          b.gcMillis() - a.gcMillis());
    }

    /** Each column's median on its own (so the row need not be one of the runs). */
    static Row median(List<Row> rows) {
      return new Row(
          med(rows, Row::reportsPerSec),
          med(rows, Row::bgPerSec),
          med(rows, Row::measPerSec),
          Math.round(med(rows, r -> r.failed())),
          med(rows, Row::p50Ms),
          med(rows, Row::p99Ms),
          med(rows, Row::maxMs),
          med(rows, Row::coreP99Us),
          med(rows, Row::loopCpuPct),
          med(rows, Row::loopCpuMsPerMeas),
          med(rows, Row::clientCpuPct),
          med(rows, Row::processCpuMsPerMeas),
          med(rows, Row::othersCpuPct),
          Math.round(med(rows, r -> r.gcMillis())));
    }

    private static double med(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
      double[] v = rows.stream().mapToDouble(f).toArray();
      Arrays.sort(v);
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    String line(String label) {
      return String.format(
          Locale.ROOT,
          "%-6s %10.0f %9.0f %8.1f %5d %8.3f %8.3f %8.2f %7.1fus %7.1f %10.3f %7.1f %10.3f %7.0f"
              + " %6d",
          label,
          reportsPerSec,
          bgPerSec,
          measPerSec,
          failed,
          p50Ms,
          p99Ms,
          maxMs,
          coreP99Us,
          loopCpuPct,
          loopCpuMsPerMeas,
          clientCpuPct,
          processCpuMsPerMeas,
          othersCpuPct,
          gcMillis);
    }
  }
}
