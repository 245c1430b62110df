package org.flashflow.bench.accuracy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.RelaySpec;

/**
 * Accuracy harness (prints a table; not a test): relays of known capacity in the emulated network,
 * measured end to end by a real coordinator and two real measurers in this process, and how close
 * the estimates come. Honest relays have capacities log-uniform over 1-100 Mbit/s and background
 * loads of 0-25%; liars claim ten times their capacity as background. First, a fast relay measured
 * alone shows what the emulator itself can carry, and the CPU of every thread is sampled, so that
 * the emulator can be ruled out as the bottleneck.
 *
 * <p>Usage: {@code AccuracyBench [--duration=30] [--relays=24] [--liars=2] [--parallel=3]
 * [--max-load=150] [--fast=400] [--circs=40] [--rounds=1] [--seed=316]}.
 */
public final class AccuracyBench {
  private static final double R = BenchNetwork.BG_PERCENT;
  private static final long BYTES_PER_MBIT = 125_000;
  private static final double TARGET_ERROR = 0.05;
  private static final double TARGET_FRACTION = 0.95;
  private static final double LIAR_NOISE = 1.02;

  private AccuracyBench() {}

  public static void main(String[] args) throws Exception {
    AccuracyOptions o;
    try {
      o = AccuracyOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-accuracy: " + e.getMessage());
      System.err.println(AccuracyOptions.USAGE);
      System.exit(2);
      return;
    }
    Path tmp = Files.createTempDirectory("ff-accuracy-");
    // Before the first logger exists: the module's logback.xml logs to this file.
    System.setProperty("flashflow.bench.log", tmp.resolve("flashflow.log").toString());
    System.setProperty("flashflow.bench.level", "INFO");
    System.out.printf(Locale.ROOT, "bench-accuracy: logs and results log under %s%n", tmp);
    run(o, tmp);
    System.exit(0);
  }

  private static List<RelaySpec> relays(AccuracyOptions o) {
    Random rnd = new Random(o.seed());
    List<RelaySpec> out = new ArrayList<>();
    for (int i = 1; i <= o.honest() + o.liars(); i++) {
      boolean liar = i > o.honest();
      String nick = liar ? String.format(Locale.ROOT, "liar%d", i - o.honest()) : "h" + i;
      double mbit = Math.pow(100, rnd.nextDouble()); // log-uniform over 1-100
      long capacity = Math.round(mbit * BYTES_PER_MBIT);
      double bg = Math.round(rnd.nextDouble() * 25) / 100.0;
      out.add(
          new RelaySpec(
              nick,
              Fingerprints.of("bench-accuracy", nick),
              capacity,
              bg,
              liar ? Behaviour.LIES : Behaviour.HONEST));
    }
    return out;
  }

  private static void run(AccuracyOptions o, Path tmp) throws Exception {
    List<RelaySpec> relays = relays(o);
    List<RelaySpec> all = new ArrayList<>(relays);
    RelaySpec fast = null;
    if (o.fastMbit() > 0) {
      fast =
          new RelaySpec(
              "fast",
              Fingerprints.of("bench-accuracy", "fast"),
              o.fastMbit() * BYTES_PER_MBIT,
              0,
              Behaviour.HONEST);
      all.add(fast);
    }
    System.out.printf(
        Locale.ROOT,
        "%d honest relays, %d liars, 2 measurers, %d s measurements, num_circs %d, at most %d"
            + " at once and %d Mbit/s of capacity at once, r = %.2f, seed %d%n",
        o.honest(),
        o.liars(),
        o.duration(),
        o.circs(),
        o.parallel(),
        o.maxLoadMbit(),
        R,
        o.seed());
    try (BenchNetwork net =
            new BenchNetwork(tmp, all, List.of("alice", "bob"), o.duration(), o.circs());
        CpuSampler cpu = new CpuSampler()) {
      if (fast != null) {
        cpu.begin();
        List<Measured> f = net.measureAll(List.of(fast), 1, Long.MAX_VALUE);
        CpuSampler.Report r = cpu.end();
        printFast(fast, f.get(0), r);
      }
      List<RelaySpec> queue = new ArrayList<>();
      for (int k = 0; k < o.rounds(); k++) {
        queue.addAll(relays);
      }
      cpu.begin();
      List<Measured> rows = net.measureAll(queue, o.parallel(), o.maxLoadMbit() * BYTES_PER_MBIT);
      CpuSampler.Report r = cpu.end();
      printTable(rows);
      printSummary(rows);
      printCpu("accuracy runs", r);
    }
  }

  private static double mbit(long bytes) {
    return bytes / (double) BYTES_PER_MBIT;
  }

  private static void printFast(RelaySpec fast, Measured row, CpuSampler.Report r) {
    RelayOutcome out = row.outcome();
    System.out.printf(
        Locale.ROOT,
        "%nEmulator check: relay 'fast' (%.0f Mbit/s, no background) measured alone: %s%n",
        mbit(fast.capacity()),
        out.reason());
    if (out.completed()) {
      long[] m = out.measured().clone();
      Arrays.sort(m);
      System.out.printf(
          Locale.ROOT,
          "  estimate %.1f Mbit/s (%.1f%% of configured); measurers' recv per second: min %.1f,"
              + " median %.1f, max %.1f Mbit/s%n",
          mbit(out.estimate()),
          100.0 * out.estimate() / fast.capacity(),
          mbit(m[0]),
          mbit(m[m.length / 2]),
          mbit(m[m.length - 1]));
    }
    printCpu("emulator check", r);
  }

  private static void printCpu(String phase, CpuSampler.Report r) {
    System.out.printf(
        Locale.ROOT,
        "CPU during %s (%.0f s): process %.0f%% of one core (%d cores); by thread group, mean %% of"
            + " one core / busiest thread's busiest second:%n",
        phase,
        r.wallSeconds(),
        r.processPercent(),
        Runtime.getRuntime().availableProcessors());
    r.groups().entrySet().stream()
        .filter(e -> e.getValue().cpuNanos > r.wallSeconds() * 1e9 * 0.005)
        .sorted(Comparator.comparingLong(e -> -e.getValue().cpuNanos))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-24s %5.1f%% / %5.1f%%%n",
                    e.getKey(),
                    100 * e.getValue().cpuNanos / (r.wallSeconds() * 1e9),
                    e.getValue().maxThreadPercent));
  }

  private static void printTable(List<Measured> rows) {
    System.out.printf(
        Locale.ROOT,
        "%n%-8s %-7s %9s %5s %9s %8s %6s  %s%n",
        "relay",
        "kind",
        "capacity",
        "bg",
        "estimate",
        "error",
        "capped",
        "outcome");
    System.out.printf(
        Locale.ROOT, "%-8s %-7s %9s %5s %9s %8s %6s%n", "", "", "Mbit/s", "", "Mbit/s", "%", "s");
    List<Measured> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingLong((Measured x) -> x.spec().capacity()));
    for (Measured row : sorted) {
      RelaySpec s = row.spec();
      RelayOutcome out = row.outcome();
      System.out.printf(
          Locale.ROOT,
          "%-8s %-7s %9.2f %5.2f %9s %8s %6d  %s%n",
          s.nickname(),
          s.behaviour().configName(),
          mbit(s.capacity()),
          s.background(),
          out.completed() ? String.format(Locale.ROOT, "%.2f", mbit(out.estimate())) : "-",
          out.completed() ? String.format(Locale.ROOT, "%+.1f", 100 * row.error()) : "-",
          out.cappedSeconds(),
          out.reason());
    }
  }

  private static void printSummary(List<Measured> rows) {
    List<Measured> honest =
        rows.stream().filter(x -> x.spec().behaviour() == Behaviour.HONEST).toList();
    long within =
        honest.stream()
            .filter(x -> x.outcome().completed() && Math.abs(x.error()) <= TARGET_ERROR)
            .count();
    long failed = rows.stream().filter(x -> !x.outcome().completed()).count();
    double[] errs =
        honest.stream()
            .filter(x -> x.outcome().completed())
            .mapToDouble(x -> 100 * x.error())
            .sorted()
            .toArray();
    double frac = honest.isEmpty() ? 0 : within / (double) honest.size();
    System.out.printf(
        Locale.ROOT,
        "%nHonest relays within %.0f%% of their capacity: %d of %d measurements (%.1f%%; target"
            + " >= %.0f%%: %s)%n",
        100 * TARGET_ERROR,
        within,
        honest.size(),
        100 * frac,
        100 * TARGET_FRACTION,
        frac >= TARGET_FRACTION ? "met" : "MISSED");
    if (errs.length > 0) {
      System.out.printf(
          Locale.ROOT,
          "  error %%: min %+.1f, median %+.1f, mean %+.1f, max %+.1f%n",
          errs[0],
          errs[errs.length / 2],
          Arrays.stream(errs).average().orElse(0),
          errs[errs.length - 1]);
    }
    double limit = 1 / (1 - R);
    double worst = 0;
    for (Measured x : rows) {
      if (x.spec().behaviour() == Behaviour.LIES && x.outcome().completed()) {
        worst = Math.max(worst, x.outcome().estimate() / (double) x.spec().capacity());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Liars: largest estimate / true capacity %.3f; limit 1/(1-r) = %.3f, +2%% noise %.3f: %s%n",
        worst,
        limit,
        limit * LIAR_NOISE,
        worst <= limit * LIAR_NOISE ? "met" : "MISSED");
    System.out.printf(Locale.ROOT, "Failed measurements: %d of %d%n", failed, rows.size());
  }
}
