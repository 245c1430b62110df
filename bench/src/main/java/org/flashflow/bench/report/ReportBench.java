package org.flashflow.bench.report;

import static org.flashflow.bench.ChildProcesses.deleteTree;
import static org.flashflow.bench.ChildProcesses.median;
import static org.flashflow.bench.ChildProcesses.ms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flashflow.bench.ChildProcesses;
import org.flashflow.bench.ChildProcesses.Child;
import org.flashflow.bench.v3bw.WeekOfResults;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.DescriptorStore;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;

/**
 * How fast {@code flashflow report} is on a week of results for 8,000 relays, the data of the v3bw
 * benchmark ({@link WeekOfResults}) plus a server descriptor per relay (docs/benchmarks.md, "Report
 * speed"). Each run starts {@code flashflow report} and {@code flashflow v3bw} as new JVMs with
 * {@code -Xmx256m}, one after the other, so the ratio of the two is taken under the same load. The
 * peak heap is the largest heap in use before a collection in the child's GC log. Then the report
 * once more with smaller heaps, to show the margin. Prints a table; asserts nothing.
 */
public final class ReportBench {
  private static final Pattern GC_BEFORE = Pattern.compile("(\\d+)M->\\d+M");

  private ReportBench() {}

  public static void main(String[] args) throws Exception {
    int relays = 8000;
    int days = 7;
    int runs = 3;
    String jar = "";
    String dirArg = "";
    String heap = "256m";
    for (String a : args) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? "" : a.substring(eq + 1);
      switch (key) {
        case "--relays" -> relays = Integer.parseInt(value);
        case "--days" -> days = Integer.parseInt(value);
        case "--runs" -> runs = Integer.parseInt(value);
        case "--flashflow-jar" -> jar = value;
        case "--dir" -> dirArg = value;
        case "--heap" -> heap = value;
        default -> {
          System.err.println(
              "usage: bench-report --flashflow-jar=JAR [--relays=8000] [--days=7] [--runs=3]"
                  + " [--dir=DIR] [--heap=256m]");
          System.exit(2);
        }
      }
    }
    if (jar.isEmpty()) {
      System.err.println("bench-report: --flashflow-jar is required");
      System.exit(2);
    }
    Path dir =
        dirArg.isEmpty()
            ? Files.createTempDirectory("bench-report")
            : Files.createDirectories(Path.of(dirArg));
    try {
      run(dir, relays, days, runs, jar, heap);
    } finally {
      if (dirArg.isEmpty()) {
        deleteTree(dir);
      }
    }
  }

  private static void run(Path dir, int relays, int days, int runs, String jar, String heap)
      throws Exception {
    Path datadir = dir.resolve("data");
    Path ini = dir.resolve("coord.ini");
    Files.writeString(ini, "[coord]\ndatadir = " + datadir + "\n");
    Instant now = Instant.now();
    long t = System.nanoTime();
    WeekOfResults.Written w =
        WeekOfResults.write(datadir.resolve("results"), datadir, relays, days, 3, now);
    saveDescriptors(datadir, now);
    System.out.printf(
        Locale.ROOT,
        "generated %,d lines, %,d MB uncompressed, in %d ms; %d cores, java %s%n%n",
        w.lines(),
        w.bytes() >> 20,
        ms(t),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    Path out = dir.resolve("report");
    List<String> report = List.of("report", "-c", ini.toString(), "--out", out.toString());
    List<String> v3bw = List.of("v3bw", "-c", ini.toString());
    long[] reportMs = new long[runs];
    long[] v3bwMs = new long[runs];
    long peak = 0;
    String outcome = "";
    for (int i = 0; i < runs; i++) {
      Run r = child(dir, jar, heap, report);
      reportMs[i] = r.ms();
      peak = Math.max(peak, r.peakMb());
      outcome = r.outcome();
      v3bwMs[i] = child(dir, jar, heap, v3bw).ms();
    }
    System.out.printf(
        Locale.ROOT,
        "%-36s %9s %9s %9s %12s  %s%n",
        "command (new JVM, -Xmx" + heap + ")",
        "median",
        "min",
        "max",
        "peak heap",
        "");
    System.out.println(row("flashflow report", reportMs, peak + " MB", outcome));
    System.out.println(row("flashflow v3bw (same runs)", v3bwMs, "-", ""));
    System.out.printf(
        Locale.ROOT,
        "report / v3bw (medians, alternating runs): %.2fx%n",
        (double) median(reportMs) / Math.max(1, median(v3bwMs)));
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.sorted().toList()) {
        System.out.printf(Locale.ROOT, "  %-18s %,8d kB%n", f.getFileName(), Files.size(f) >> 10);
      }
    }
    for (String smaller : List.of("128m", "64m")) {
      Run c = child(dir, jar, smaller, report);
      System.out.printf(
          Locale.ROOT,
          "flashflow report with -Xmx%s: %s, %d ms, peak heap %d MB%n",
          smaller,
          c.outcome(),
          c.ms(),
          c.peakMb());
    }
  }

  /** A descriptor per consensus relay: bandwidth-avg 1 to 3 times the consensus weight. */
  private static void saveDescriptors(Path datadir, Instant now) throws IOException {
    List<ServerDescriptor> descs = new ArrayList<>();
    int i = 0;
    for (RouterStatus rs : new ConsensusStore(datadir).load()) {
      long weight = Math.max(1000, rs.bandwidthKbs() * 1000);
      long avg = weight * (1 + i++ % 3);
      descs.add(
          new ServerDescriptor(
              rs.nickname(),
              rs.fingerprint(),
              rs.address(),
              rs.orPort(),
              now.minusSeconds(7200),
              Optional.empty(),
              avg,
              2 * avg,
              weight));
    }
    new DescriptorStore(datadir).save(descs, Optional.of("0.4.8.0"));
  }

  /** A report or v3bw run in a new JVM, with its GC log's largest heap before a collection. */
  private record Run(Child child, long peakMb) {
    long ms() {
      return child.ms();
    }

    String outcome() {
      return child.exit() == 0 || child.output().contains("OutOfMemoryError")
          ? child.outcome()
          : child.outcome() + ": " + child.output().strip();
    }
  }

  private static Run child(Path dir, String jar, String heap, List<String> args)
      throws IOException, InterruptedException {
    Path gcLog = dir.resolve("gc.log");
    Files.deleteIfExists(gcLog);
    List<String> cmd = new ArrayList<>();
    cmd.add("-Xmx" + heap);
    cmd.add("-Xlog:gc:file=" + gcLog);
    cmd.add("-jar");
    cmd.add(jar);
    cmd.addAll(args);
    Child c = ChildProcesses.java(dir, cmd);
    long peak = 0;
    if (Files.exists(gcLog)) {
      Matcher m = GC_BEFORE.matcher(Files.readString(gcLog));
      while (m.find()) {
        peak = Math.max(peak, Long.parseLong(m.group(1)));
      }
    }
    return new Run(c, peak);
  }

  private static String row(String name, long[] ms, String heap, String outcome) {
    return ChildProcesses.row(36, name, ms, heap, outcome);
  }
}
