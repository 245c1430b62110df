package org.flashflow.bench.accuracy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.flashflow.report.Heatmap;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Cells;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.RelaySpec;

/**
 * Accuracy over a grid (prints tables and writes an SVG heatmap; not a test): round trip x relay
 * capacity x {@code num_circs} x steady or bursty background, with liars and CPU-bound relays in
 * every cell, each relay measured end to end by a real coordinator and two real measurers over the
 * emulated network. One coordinator run per {@code num_circs}; within it, the relays of every cell
 * are measured as the load limits allow. Per cell: the share of honest estimates within 5% and 10%
 * of the truth, and the largest liar ratio.
 */
public final class AccuracyGrid {
  private static final double R = BenchNetwork.BG_PERCENT;
  private static final long BYTES_PER_MBIT = 125_000;
  private static final double TARGET_FRACTION = 0.95;
  private static final double LIAR_LIMIT = 1 / (1 - R);
  private static final double LIAR_NOISE = 1.02;
  private static final Duration BURST_PERIOD = Duration.ofSeconds(2);

  private AccuracyGrid() {}

  /** A cell of the grid. */
  record Key(int rttMs, int capacityMbit, String background, int circs) {}

  /** A relay and the cell it belongs to (without num_circs, which is the run's). */
  private record GridRelay(RelaySpec spec, int rttMs, int capacityMbit, String background) {}

  /** What a cell's measurements came to. */
  record Stats(
      int honest,
      int within5,
      int within10,
      double medianError,
      double worstError,
      double liarMax,
      int failed) {
    double share5() {
      return honest == 0 ? Double.NaN : within5 / (double) honest;
    }

    double share10() {
      return honest == 0 ? Double.NaN : within10 / (double) honest;
    }

    boolean liarOk() {
      return liarMax <= LIAR_LIMIT * LIAR_NOISE;
    }

    boolean passes() {
      return honest > 0 && share5() >= TARGET_FRACTION && liarOk();
    }

    static Stats of(List<Measured> rows) {
      List<Measured> honest =
          rows.stream().filter(m -> m.spec().behaviour() == Behaviour.HONEST).toList();
      double[] errs =
          honest.stream()
              .filter(m -> m.outcome().completed())
              .mapToDouble(Measured::error)
              .sorted()
              .toArray();
      int w5 = (int) Arrays.stream(errs).filter(e -> Math.abs(e) <= 0.05).count();
      int w10 = (int) Arrays.stream(errs).filter(e -> Math.abs(e) <= 0.10).count();
      double worst = 0;
      for (double e : errs) {
        worst = Math.abs(e) > Math.abs(worst) ? e : worst;
      }
      double liar =
          rows.stream()
              .filter(m -> m.spec().behaviour() == Behaviour.LIES && m.outcome().completed())
              .mapToDouble(Measured::ratio)
              .max()
              .orElse(0);
      int failed = (int) rows.stream().filter(m -> !m.outcome().completed()).count();
      return new Stats(
          honest.size(),
          w5,
          w10,
          errs.length == 0 ? Double.NaN : errs[errs.length / 2],
          worst,
          liar,
          failed);
    }
  }

  public static void main(String[] args) throws Exception {
    GridOptions o;
    try {
      o = GridOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-accuracy-grid: " + e.getMessage());
      System.err.println(GridOptions.USAGE);
      System.exit(2);
      return;
    }
    if (o.renderTable().isPresent()) {
      Path svg =
          o.svg().orElseThrow(() -> new IllegalArgumentException("--render-table needs --svg"));
      Files.writeString(svg, heatmap(o, readTable(o.renderTable().get())), StandardCharsets.UTF_8);
      System.out.printf(Locale.ROOT, "Heatmap: %s%n", svg);
      return;
    }
    Path tmp = Files.createTempDirectory("ff-accuracy-grid-");
    System.setProperty("flashflow.bench.log", tmp.resolve("flashflow.log").toString());
    System.setProperty("flashflow.bench.level", "INFO");
    System.out.printf(Locale.ROOT, "bench-accuracy-grid: logs and results logs under %s%n", tmp);
    run(o, tmp);
    System.exit(0);
  }

  private static List<GridRelay> relays(GridOptions o) {
    Random rnd = new Random(o.seed());
    List<GridRelay> out = new ArrayList<>();
    for (int rtt : o.rtts()) {
      Latency latency =
          new Latency(Duration.ofMillis(rtt), Duration.ofMillis(rtt * o.jitterPercent() / 100L));
      for (int cap : o.capacities()) {
        for (String bg : o.backgrounds()) {
          boolean bursty = bg.equals("bursty");
          for (int i = 1; i <= o.honest() + o.liars(); i++) {
            boolean liar = i > o.honest();
            boolean cpuBound = !liar && i > o.honest() - o.cpuBound();
            String kind = liar ? "l" : cpuBound ? "p" : "h";
            String nick = "r" + rtt + "c" + cap + (bursty ? "b" : "s") + kind + i;
            // Each relay a little different: capacity within +-10% of the cell's.
            long truth = Math.round(cap * BYTES_PER_MBIT * (0.9 + 0.2 * rnd.nextDouble()));
            double mean =
                bursty
                    ? Math.round(5 + rnd.nextDouble() * 20) / 100.0
                    : Math.round(rnd.nextDouble() * 25) / 100.0;
            long bandwidth = cpuBound ? truth * 3 / 2 : truth;
            RelaySpec spec =
                new RelaySpec(
                        nick,
                        Fingerprints.of("bench-grid", nick),
                        bandwidth,
                        mean * truth / bandwidth,
                        liar ? Behaviour.LIES : Behaviour.HONEST)
                    .withLatency(latency);
            if (bursty) {
              // As far from the mean as the mean itself: on half the time at twice the mean.
              spec = spec.withBursts(spec.background(), BURST_PERIOD);
            }
            if (cpuBound) {
              spec = spec.withCpu(truth / Cells.SIZE);
            }
            out.add(new GridRelay(spec, rtt, cap, bg));
          }
        }
      }
    }
    return out;
  }

  private static void run(GridOptions o, Path tmp) throws Exception {
    List<GridRelay> relays = relays(o);
    Map<String, GridRelay> byNick = new LinkedHashMap<>();
    relays.forEach(g -> byNick.put(g.spec().nickname(), g));
    System.out.printf(
        Locale.ROOT,
        "grid: rtt %s ms (jitter %d%%) x capacity %s Mbit/s x num_circs %s x background %s;"
            + " per cell %d honest (%d CPU-bound) + %d liars, rounds %s; %d s measurements,"
            + " r = %.2f, window %d cells, seed %d; at most %d at once, %d Mbit/s, %d circuits%n",
        o.rtts(),
        o.jitterPercent(),
        o.capacities(),
        o.circs(),
        o.backgrounds(),
        o.honest(),
        o.cpuBound(),
        o.liars(),
        o.rounds(),
        o.duration(),
        R,
        FlowControl.TOR.window(),
        o.seed(),
        o.parallel(),
        o.maxLoadMbit(),
        o.maxCircuits());
    System.out.printf(Locale.ROOT, "machine: %d cores, load %s%n", cores(), loadavg());
    if (o.ceilingMbit() > 0) {
      ceiling(o, tmp);
    }
    Map<Key, List<Measured>> byCell = new LinkedHashMap<>();
    for (int circs : o.circs()) {
      List<RelaySpec> queue = new ArrayList<>();
      for (GridRelay g : relays) {
        int k = o.capacities().indexOf(g.capacityMbit());
        for (int i = 0; i < o.rounds().get(k); i++) {
          queue.add(g.spec());
        }
      }
      int parallel = Math.max(1, Math.min(o.parallel(), o.maxCircuits() / circs));
      String load0 = loadavg();
      long t0 = System.nanoTime();
      List<Measured> rows;
      try (BenchNetwork net =
              new BenchNetwork(
                  tmp.resolve("circs" + circs),
                  relays.stream().map(GridRelay::spec).toList(),
                  List.of("alice", "bob"),
                  o.duration(),
                  circs);
          CpuSampler cpu = new CpuSampler()) {
        System.out.printf(
            Locale.ROOT,
            "%nnum_circs %d: %d measurements, at most %d at once...%n",
            circs,
            queue.size(),
            parallel);
        cpu.begin();
        rows = net.measureAll(queue, parallel, o.maxLoadMbit() * BYTES_PER_MBIT);
        CpuSampler.Report r = cpu.end();
        System.out.printf(
            Locale.ROOT,
            "num_circs %d done in %.0f s; load average %s at the start, %s at the end; this"
                + " process %.0f%% of one core, busiest emulator thread's busiest second %.0f%%%n",
            circs,
            (System.nanoTime() - t0) / 1e9,
            load0,
            loadavg(),
            r.processPercent(),
            r.groups().entrySet().stream()
                .filter(e -> e.getKey().startsWith("testnet"))
                .mapToDouble(e -> e.getValue().maxThreadPercent)
                .max()
                .orElse(0));
      }
      Map<Key, List<Measured>> phase = new LinkedHashMap<>();
      for (Measured m : rows) {
        GridRelay g = byNick.get(m.spec().nickname());
        Key key = new Key(g.rttMs(), g.capacityMbit(), g.background(), circs);
        phase.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
      }
      printCells(phase);
      printMisses(phase);
      byCell.putAll(phase);
    }
    System.out.printf(Locale.ROOT, "%n=== The whole grid ===%n");
    printCells(byCell);
    printSmallest(o, byCell);
    Path svg = o.svg().orElse(tmp.resolve("accuracy-grid.svg"));
    Map<Key, CellSummary> summaries = new LinkedHashMap<>();
    byCell.forEach((k, m) -> summaries.put(k, CellSummary.of(Stats.of(m))));
    Files.writeString(svg, heatmap(o, summaries), StandardCharsets.UTF_8);
    System.out.printf(Locale.ROOT, "%nHeatmap: %s%nmachine load at the end: %s%n", svg, loadavg());
  }

  /** A relay far faster than the grid's, measured alone: what the emulator can carry. */
  private static void ceiling(GridOptions o, Path tmp) throws Exception {
    RelaySpec fast = ceilingRelay("ceiling", o.ceilingMbit());
    // A second relay warms up the JIT: measuring the same relay again at once would race its
    // last report (the relay still in the first measurement refuses the second).
    RelaySpec warm = ceilingRelay("warmup", o.ceilingMbit());
    try (BenchNetwork net =
            new BenchNetwork(
                tmp.resolve("ceiling"),
                List.of(warm, fast),
                List.of("alice", "bob"),
                o.duration(),
                160);
        CpuSampler cpu = new CpuSampler()) {
      net.measureAll(List.of(warm), 1, Long.MAX_VALUE);
      cpu.begin();
      Measured m = net.measureAll(List.of(fast), 1, Long.MAX_VALUE).get(0);
      CpuSampler.Report r = cpu.end();
      long[] s = m.outcome().measured().clone();
      Arrays.sort(s);
      System.out.printf(
          Locale.ROOT,
          "Emulator ceiling: a %d Mbit/s relay at 10 ms with 160 circuits, alone: %s, estimate"
              + " %.1f Mbit/s, per second min %.1f median %.1f max %.1f; process %.0f%% of one"
              + " core; load %s%n",
          o.ceilingMbit(),
          m.outcome().reason(),
          mbit(m.outcome().estimate()),
          s.length == 0 ? 0 : mbit(s[0]),
          s.length == 0 ? 0 : mbit(s[s.length / 2]),
          s.length == 0 ? 0 : mbit(s[s.length - 1]),
          r.processPercent(),
          loadavg());
      // CPU per byte carried does not depend on how loaded the machine is, the rate does: what
      // one event loop (one core at most) can carry on an idle machine is 1 s over this cost.
      double carriedMb = Arrays.stream(s).sum() / 1e6;
      r.groups().entrySet().stream()
          .filter(e -> e.getValue().cpuNanos > r.wallSeconds() * 1e9 * 0.02)
          .forEach(
              e -> {
                double msPerMb = e.getValue().cpuNanos / 1e6 / Math.max(carriedMb, 1e-9);
                System.out.printf(
                    Locale.ROOT,
                    "  %-24s %5.1f%% of one core, busiest second %5.1f%%, %.1f ms CPU per MB"
                        + " carried (one core: %.0f Mbit/s)%n",
                    e.getKey(),
                    100 * e.getValue().cpuNanos / (r.wallSeconds() * 1e9),
                    e.getValue().maxThreadPercent,
                    msPerMb,
                    8000 / msPerMb);
              });
    }
  }

  private static RelaySpec ceilingRelay(String nick, int mbit) {
    return new RelaySpec(
            nick, Fingerprints.of("bench-grid", nick), mbit * BYTES_PER_MBIT, 0, Behaviour.HONEST)
        .withLatency(Latency.ofMillis(10));
  }

  private static double windowBoundMbit(int rttMs, int circs) {
    if (rttMs == 0) {
      return Double.POSITIVE_INFINITY;
    }
    return circs * FlowControl.TOR.bytesPerSecond(rttMs / 1000.0, Cells.SIZE) / BYTES_PER_MBIT;
  }

  private static void printCells(Map<Key, List<Measured>> cells) {
    System.out.printf(
        Locale.ROOT,
        "%n| rtt ms | Mbit/s | background | num_circs | window bound Mbit/s | honest | within 5%%"
            + " | within 10%% | median error | worst error | largest liar ratio | failed | passes"
            + " |%n|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
    cells.entrySet().stream()
        .sorted(
            java.util.Comparator.comparing((Map.Entry<Key, List<Measured>> e) -> e.getKey().rttMs())
                .thenComparing(e -> e.getKey().capacityMbit())
                .thenComparing(e -> e.getKey().background())
                .thenComparing(e -> e.getKey().circs()))
        .forEach(
            e -> {
              Key k = e.getKey();
              Stats s = Stats.of(e.getValue());
              System.out.printf(
                  Locale.ROOT,
                  "| %d | %d | %s | %d | %.0f | %d | %.0f%% | %.0f%% | %+.1f%% | %+.1f%% | %.3f | %d |"
                      + " %s |%n",
                  k.rttMs(),
                  k.capacityMbit(),
                  k.background(),
                  k.circs(),
                  windowBoundMbit(k.rttMs(), k.circs()),
                  s.honest(),
                  100 * s.share5(),
                  100 * s.share10(),
                  100 * s.medianError(),
                  100 * s.worstError(),
                  s.liarMax(),
                  s.failed(),
                  s.passes() ? "yes" : "NO");
            });
  }

  /** Every honest measurement off by more than 5%, and every failure: what went wrong. */
  private static void printMisses(Map<Key, List<Measured>> cells) {
    List<String> lines = new ArrayList<>();
    cells.forEach(
        (k, rows) -> {
          for (Measured m : rows) {
            boolean honest = m.spec().behaviour() == Behaviour.HONEST;
            if (!m.outcome().completed() || (honest && Math.abs(m.error()) > 0.05)) {
              long[] per = m.outcome().totals();
              lines.add(
                  String.format(
                      Locale.ROOT,
                      "  %s (truth %.2f Mbit/s, bg %.2f%s%s): %s %s; per-second totals %s",
                      m.spec().nickname(),
                      mbit(m.spec().effectiveCapacity()),
                      m.spec().background(),
                      m.spec().backgroundSd() > 0 ? " bursty" : "",
                      m.spec().cpuCells() > 0 ? ", CPU-bound" : "",
                      m.outcome().reason(),
                      m.outcome().completed()
                          ? String.format(Locale.ROOT, "%+.1f%%", 100 * m.error())
                          : "",
                      Arrays.stream(per)
                          .mapToObj(b -> String.format(Locale.ROOT, "%.2f", mbit(b)))
                          .toList()));
            }
          }
        });
    if (!lines.isEmpty()) {
      System.out.printf(Locale.ROOT, "Honest estimates off by more than 5%%, and failures:%n");
      lines.forEach(System.out::println);
    }
  }

  /** Per rtt, capacity and background: the smallest num_circs that passes, and the theory's. */
  private static void printSmallest(GridOptions o, Map<Key, List<Measured>> cells) {
    System.out.printf(
        Locale.ROOT,
        "%n| rtt ms | Mbit/s | background | smallest num_circs that passes | circuits the window"
            + " needs (C x RTT / (1000 x 514 B)) |%n|---|---|---|---|---|%n");
    for (int rtt : o.rtts()) {
      for (int cap : o.capacities()) {
        for (String bg : o.backgrounds()) {
          String smallest = "none of " + o.circs();
          for (int c : o.circs().stream().sorted().toList()) {
            List<Measured> rows = cells.get(new Key(rtt, cap, bg, c));
            if (rows != null && Stats.of(rows).passes()) {
              smallest = Integer.toString(c);
              break;
            }
          }
          double need = rtt == 0 ? 0 : cap / windowBoundMbit(rtt, 1);
          System.out.printf(
              Locale.ROOT, "| %d | %d | %s | %s | %.1f |%n", rtt, cap, bg, smallest, need);
        }
      }
    }
  }

  /** What the heatmap shows of a cell. */
  record CellSummary(double share5, double share10, double liarMax, boolean liarOk) {
    static CellSummary of(Stats s) {
      return new CellSummary(s.share5(), s.share10(), s.liarMax(), s.liarOk());
    }
  }

  /**
   * The cells of a saved run's whole-grid table (the lines after "=== The whole grid ===" that
   * {@link #printCells} wrote), for drawing its heatmap again.
   */
  static Map<Key, CellSummary> readTable(Path runOutput) throws IOException {
    List<String> lines = Files.readAllLines(runOutput, StandardCharsets.UTF_8);
    int start = lines.indexOf("=== The whole grid ===");
    if (start < 0) {
      throw new IOException(runOutput + " has no line \"=== The whole grid ===\"");
    }
    Map<Key, CellSummary> cells = new LinkedHashMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (!line.matches("\\| \\d+ \\| \\d+ \\| .*")) {
        if (!cells.isEmpty() && line.isBlank()) {
          break; // the end of the table
        }
        continue;
      }
      String[] f = line.substring(1, line.length() - 1).split("\\|");
      Key key =
          new Key(
              Integer.parseInt(f[0].strip()),
              Integer.parseInt(f[1].strip()),
              f[2].strip(),
              Integer.parseInt(f[3].strip()));
      double liar = Double.parseDouble(f[10].strip());
      cells.put(
          key,
          new CellSummary(percent(f[6]), percent(f[7]), liar, !(liar > LIAR_LIMIT * LIAR_NOISE)));
    }
    if (cells.isEmpty()) {
      throw new IOException(runOutput + ": no cells in the whole-grid table");
    }
    return cells;
  }

  private static double percent(String field) {
    String v = field.strip();
    return Double.parseDouble(v.substring(0, v.length() - 1)) / 100;
  }

  static String heatmap(GridOptions o, Map<Key, CellSummary> cells) {
    List<String> columns = new ArrayList<>();
    for (int rtt : o.rtts()) {
      for (int c : o.circs()) {
        columns.add(rtt + " ms, " + c + " circ");
      }
    }
    List<String> rows = new ArrayList<>();
    for (int cap : o.capacities()) {
      for (String bg : o.backgrounds()) {
        rows.add(cap + " Mbit/s " + bg);
      }
    }
    Heatmap.Cell[][] grid = new Heatmap.Cell[rows.size()][columns.size()];
    int r = 0;
    for (int cap : o.capacities()) {
      for (String bg : o.backgrounds()) {
        int c = 0;
        for (int rtt : o.rtts()) {
          for (int circs : o.circs()) {
            CellSummary s = cells.get(new Key(rtt, cap, bg, circs));
            grid[r][c++] =
                s == null
                    ? Heatmap.Cell.empty()
                    : new Heatmap.Cell(
                        s.share5(),
                        !s.liarOk(),
                        List.of(
                            String.format(Locale.ROOT, "%.0f%%", 100 * s.share5()),
                            String.format(Locale.ROOT, "10%%: %.0f%%", 100 * s.share10()),
                            String.format(Locale.ROOT, "liar %.2f", s.liarMax())));
          }
        }
        r++;
      }
    }
    return Heatmap.svg(
        "Honest estimates within 5% of the truth (FlashFlow over the emulated network)",
        columns,
        rows,
        grid,
        0.5,
        List.of(
            "Each cell: share of honest estimates within 5% (bold), within 10%, and the largest"
                + " liar estimate / true capacity (limit 1/(1-r) = 1.33).",
            "Colour: green 100%, yellow 75%, red 50% or less within 5%; purple: a liar above the"
                + " limit. Target: at least 95% within 5% in every cell.",
            String.format(
                Locale.ROOT,
                "%d s measurements, 2 measurers, window 1000 cells, jitter %d%% of the rtt,"
                    + " r = %.2f, seed %d (scripts/bench-accuracy-grid; docs/benchmarks.md).",
                o.duration(),
                o.jitterPercent(),
                R,
                o.seed())));
  }

  private static double mbit(double bytes) {
    return bytes / BYTES_PER_MBIT;
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
