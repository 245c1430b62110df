package org.flashflow.bench.v3bw;

import static org.flashflow.bench.ChildProcesses.deleteTree;
import static org.flashflow.bench.ChildProcesses.median;
import static org.flashflow.bench.ChildProcesses.ms;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flashflow.bench.ChildProcesses;
import org.flashflow.bench.ChildProcesses.Child;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.LatestResultsCache;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.coord.v3bw.BandwidthFile;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.V3bwGenerator;
import org.flashflow.torctl.model.RouterStatus;

/**
 * How fast a bandwidth file is made from a week of results for 8,000 relays (docs/benchmarks.md,
 * "Bandwidth file speed"). Prints a table; asserts nothing.
 *
 * <ol>
 *   <li>{@code flashflow v3bw -c coord.ini} as a new JVM with {@code -Xmx256m}: wall time including
 *       JVM start (needs {@code --flashflow-jar}).
 *   <li>In this JVM, the same {@link V3bwGenerator} path the command takes (streaming), against a
 *       read-all baseline ({@link NaiveV3bw}), alternating, with each one's peak heap.
 *   <li>The read-all baseline as a new JVM with {@code -Xmx256m}: whether it fits at all.
 *   <li>The coordinator's path: the startup pass that fills {@link LatestResultsCache}, then a
 *       bandwidth file from memory (render alone, and render + write + symlink).
 * </ol>
 */
public final class V3bwBench {
  private static final Duration MAX_AGE = Duration.ofDays(7);

  private V3bwBench() {}

  public static void main(String[] args) throws Exception {
    int relays = 8000;
    int days = 7;
    int measurers = 3;
    int runs = 5;
    int renderRuns = 30;
    String jar = "";
    String launcher = "";
    String dirArg = "";
    String childHeap = "256m";
    boolean naiveOnce = false;
    boolean cliOnly = false;
    for (String a : args) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? "" : a.substring(eq + 1);
      switch (key) {
        case "--relays" -> relays = Integer.parseInt(value);
        case "--days" -> days = Integer.parseInt(value);
        case "--measurers" -> measurers = Integer.parseInt(value);
        case "--runs" -> runs = Integer.parseInt(value);
        case "--render-runs" -> renderRuns = Integer.parseInt(value);
        case "--flashflow-jar" -> jar = value;
        case "--launcher" -> launcher = value;
        case "--dir" -> dirArg = value;
        case "--child-heap" -> childHeap = value;
        case "--naive-once" -> naiveOnce = true;
        case "--cli-only" -> cliOnly = true;
        default -> {
          System.err.println(
              "usage: bench-v3bw [--relays=8000] [--days=7] [--measurers=3] [--runs=5]"
                  + " [--render-runs=30] [--flashflow-jar=JAR] [--launcher=scripts/flashflow]"
                  + " [--dir=DIR] [--child-heap=256m] [--cli-only]");
          System.exit(2);
        }
      }
    }
    Path dir =
        dirArg.isEmpty()
            ? Files.createTempDirectory("bench-v3bw")
            : Files.createDirectories(Path.of(dirArg));
    Path datadir = dir.resolve("data");
    Path resultsDir = datadir.resolve("results");
    Path log = resultsDir.resolve("results.log");
    Clock clock = Clock.systemUTC();
    if (naiveOnce) {
      long t = System.nanoTime();
      NaiveV3bw.generate(log, dir.resolve("naive/v3bw"), datadir, MAX_AGE, clock.instant());
      System.out.printf(Locale.ROOT, "naive: %d ms%n", ms(t));
      return;
    }
    try {
      run(
          dir,
          datadir,
          resultsDir,
          log,
          clock,
          relays,
          days,
          measurers,
          runs,
          renderRuns,
          jar,
          launcher,
          childHeap,
          cliOnly);
    } finally {
      if (dirArg.isEmpty()) {
        deleteTree(dir);
      }
    }
  }

  private static void run(
      Path dir,
      Path datadir,
      Path resultsDir,
      Path log,
      Clock clock,
      int relays,
      int days,
      int measurers,
      int runs,
      int renderRuns,
      String jar,
      String launcher,
      String childHeap,
      boolean cliOnly)
      throws Exception {
    Path ini = dir.resolve("coord.ini");
    Files.writeString(ini, "[coord]\ndatadir = " + datadir + "\n");
    long t = System.nanoTime();
    WeekOfResults.Written w =
        WeekOfResults.write(resultsDir, datadir, relays, days, measurers, clock.instant());
    System.out.printf(
        Locale.ROOT,
        "generated %,d lines (%,d in results.log.2.gz), %,d MB uncompressed, in %d ms; files:%n",
        w.lines(),
        w.gzLines(),
        w.bytes() >> 20,
        ms(t));
    for (Path f : new ResultsLogReader(log).files()) {
      System.out.printf(Locale.ROOT, "  %-20s %,6d MB%n", f.getFileName(), Files.size(f) >> 20);
    }
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, java %s, max heap here %d MB%n%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);

    List<String> rows = new ArrayList<>();
    if (!jar.isEmpty()) {
      // Bare JVM and launcher alternate, so that both see the same machine.
      long[] wall = new long[runs];
      long[] viaLauncher = new long[runs];
      String outcome = "";
      String launcherOutcome = "";
      for (int i = 0; i < runs; i++) {
        Child c =
            ChildProcesses.java(
                dir, List.of("-Xmx" + childHeap, "-jar", jar, "v3bw", "-c", ini.toString()));
        wall[i] = c.ms();
        outcome = c.outcome();
        if (!launcher.isEmpty()) {
          Child l =
              launched(dir, launcher, "-Xmx" + childHeap, List.of("v3bw", "-c", ini.toString()));
          viaLauncher[i] = l.ms();
          launcherOutcome = l.outcome();
        }
      }
      rows.add(row("flashflow v3bw, java -Xmx" + childHeap + " -jar", wall, "-", outcome));
      if (!launcher.isEmpty()) {
        rows.add(
            row("flashflow v3bw, launcher, -Xmx" + childHeap, viaLauncher, "-", launcherOutcome));
      }
    }

    if (cliOnly) {
      printTable(rows);
      return;
    }

    V3bwGenerator streaming =
        new V3bwGenerator(
            log, resultsDir.resolve("v3bw"), MAX_AGE, clock.instant(), "bench", clock);
    long[] streamMs = new long[runs];
    long[] naiveMs = new long[runs];
    long streamHeap = 0;
    long naiveHeap = 0;
    for (int i = 0; i < runs; i++) {
      resetPeaks();
      t = System.nanoTime();
      streaming.generate(new ConsensusStore(datadir));
      streamMs[i] = ms(t);
      streamHeap = Math.max(streamHeap, peakHeap());
      resetPeaks();
      t = System.nanoTime();
      NaiveV3bw.generate(log, dir.resolve("naive/v3bw"), datadir, MAX_AGE, clock.instant());
      naiveMs[i] = ms(t);
      naiveHeap = Math.max(naiveHeap, peakHeap());
    }
    rows.add(row("streaming (V3bwGenerator), this JVM", streamMs, mb(streamHeap), "ok"));
    rows.add(row("read-all baseline, this JVM", naiveMs, mb(naiveHeap), "ok"));
    Child naiveChild =
        ChildProcesses.java(
            dir,
            List.of(
                "-Xmx" + childHeap,
                "-cp",
                System.getProperty("java.class.path"),
                V3bwBench.class.getName(),
                "--naive-once",
                "--dir=" + dir));
    rows.add(
        row(
            "read-all baseline, new JVM -Xmx" + childHeap,
            new long[] {naiveChild.ms()},
            "-",
            naiveChild.outcome()));

    long[] loadMs = new long[runs];
    Collection<LatestResults.Result> loaded = List.of();
    for (int i = 0; i < runs; i++) {
      t = System.nanoTime();
      loaded = LatestResultsCache.load(new ResultsLogReader(log));
      loadMs[i] = ms(t);
    }
    rows.add(
        row("coordinator startup: fill in-memory results", loadMs, "-", loaded.size() + " relays"));
    LatestResultsCache cache = new LatestResultsCache();
    cache.loaded(loaded);
    List<RouterStatus> consensus = new ConsensusStore(datadir).load();
    double[] renderUs = new double[renderRuns];
    double[] writeUs = new double[renderRuns];
    for (int i = 0; i < renderRuns; i++) {
      Instant now = clock.instant();
      long t0 = System.nanoTime();
      List<LatestResults.Result> snapshot = cache.snapshot();
      String content =
          BandwidthFile.render(
              LatestResultsCache.toLatestResults(snapshot, now, MAX_AGE), consensus, now, now, "b");
      renderUs[i] = (System.nanoTime() - t0) / 1e3;
      if (content.isEmpty()) {
        throw new AssertionError();
      }
      t0 = System.nanoTime();
      streaming.generate(cache.snapshot(), consensus);
      writeUs[i] = (System.nanoTime() - t0) / 1e3;
    }
    rows.add(rowMs("coordinator: snapshot + render, " + consensus.size() + " relays", renderUs));
    rows.add(rowMs("coordinator: snapshot + render + write + symlink", writeUs));

    printTable(rows);
    System.out.printf(
        Locale.ROOT,
        "%nread-all / streaming (median, same JVM): %.1fx time, %.1fx peak heap%n",
        (double) median(naiveMs) / Math.max(1, median(streamMs)),
        (double) naiveHeap / Math.max(1, streamHeap));
  }

  private static void printTable(List<String> rows) {
    System.out.printf(
        Locale.ROOT,
        "%-48s %9s %9s %9s %10s  %s%n",
        "path",
        "median",
        "min",
        "max",
        "peak heap",
        "");
    rows.forEach(System.out::println);
  }

  /**
   * Runs the {@code scripts/flashflow} launcher as a user does, with {@code FLASHFLOW_JAVA_OPTS}
   * set to {@code javaOpts}: it picks the JVM options of a short command itself.
   */
  private static Child launched(Path dir, String launcher, String javaOpts, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher);
    cmd.addAll(args);
    return ChildProcesses.run(
        dir, cmd, Map.of("FLASHFLOW_JAVA_OPTS", javaOpts, "JAVA", ChildProcesses.java()));
  }

  private static String row(String name, long[] ms, String heap, String outcome) {
    return ChildProcesses.row(48, name, ms, heap, outcome);
  }

  private static String rowMs(String name, double[] us) {
    double[] s = us.clone();
    java.util.Arrays.sort(s);
    return String.format(
        Locale.ROOT,
        "%-48s %6.1f ms %6.1f ms %6.1f ms %10s  %d runs",
        name,
        s[s.length / 2] / 1e3,
        s[0] / 1e3,
        s[s.length - 1] / 1e3,
        "-",
        s.length);
  }

  private static String mb(long bytes) {
    return (bytes >> 20) + " MB";
  }

  /** GC first, so each path's peak starts from the same live set. */
  @SuppressWarnings("SystemGC")
  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
