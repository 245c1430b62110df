package org.flashflow.bench.accuracy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The accuracy grid's command line ({@code scripts/bench-accuracy-grid}).
 *
 * @param duration seconds per measurement ({@code meas_duration}); 30 as in production
 * @param rtts round trips of the grid, ms (each relay's; the measurers add none)
 * @param capacities relay capacities of the grid, Mbit/s
 * @param circs {@code num_circs} values of the grid (one coordinator run each)
 * @param backgrounds {@code steady} and/or {@code bursty}
 * @param rounds per capacity (same order): times each relay of such a cell is measured
 * @param honest honest relays per cell, of which {@code cpuBound} run out of CPU first
 * @param cpuBound honest relays per cell whose CPU, not bandwidth, is the limit
 * @param liars relays per cell that claim ten times their capacity as background
 * @param jitterPercent each relay's jitter, in percent of its round trip
 * @param parallel measurements at most running at once
 * @param maxLoadMbit sum of the capacities of running measurements, at most (one runs anyway)
 * @param maxCircuits circuits (TLS connections) at once, at most: caps {@code parallel}
 * @param ceilingMbit capacity of a relay measured alone first (10 ms, 160 circuits) to find what
 *     the emulator can carry; 0 to skip
 * @param seed of the relays' capacities and backgrounds
 * @param svg where to write the heatmap; empty: into the run's temp directory
 * @param renderTable a saved run's output: measure nothing, draw the heatmap of its whole-grid
 *     table into {@code svg} (the other options must be the run's, for the notes)
 */
record GridOptions(
    int duration,
    List<Integer> rtts,
    List<Integer> capacities,
    List<Integer> circs,
    List<String> backgrounds,
    List<Integer> rounds,
    int honest,
    int cpuBound,
    int liars,
    int jitterPercent,
    int parallel,
    int maxLoadMbit,
    int maxCircuits,
    int ceilingMbit,
    long seed,
    Optional<Path> svg,
    Optional<Path> renderTable) {
  static final String USAGE =
      "usage: bench-accuracy-grid [--duration=30] [--rtts=10,100,300] [--capacities=1,10,100,500]"
          + " [--circs=10,40,160] [--backgrounds=steady,bursty] [--rounds=3,3,2,1] [--honest=3]"
          + " [--cpu-bound=1] [--liars=1] [--jitter=10] [--parallel=16] [--max-load=200]"
          + " [--max-circuits=1600] [--ceiling=1000] [--seed=316] [--svg=FILE]"
          + " [--render-table=RUN_OUTPUT]\n"
          + "  --rounds: per capacity, times each relay is measured; --jitter: % of the rtt;\n"
          + "  --max-load: Mbit/s of relay capacity measured at once; --ceiling: Mbit/s of a relay"
          + " measured alone first (0: skip)";

  GridOptions {
    rtts = List.copyOf(rtts);
    capacities = List.copyOf(capacities);
    circs = List.copyOf(circs);
    backgrounds = List.copyOf(backgrounds);
    rounds = List.copyOf(rounds);
    if (duration < 1 || honest < 1 || cpuBound < 0 || cpuBound > honest || liars < 0) {
      throw new IllegalArgumentException(
          "--duration and --honest must be at least 1, --cpu-bound from 0 to --honest");
    }
    if (rtts.isEmpty() || capacities.isEmpty() || circs.isEmpty() || backgrounds.isEmpty()) {
      throw new IllegalArgumentException("every grid dimension needs at least one value");
    }
    if (rounds.size() != capacities.size() || rounds.stream().anyMatch(r -> r < 1)) {
      throw new IllegalArgumentException("--rounds needs one count of at least 1 per capacity");
    }
    for (String b : backgrounds) {
      if (!b.equals("steady") && !b.equals("bursty")) {
        throw new IllegalArgumentException("--backgrounds: steady or bursty, not " + b);
      }
    }
    if (circs.stream().anyMatch(c -> c < 2) || rtts.stream().anyMatch(r -> r < 0)) {
      throw new IllegalArgumentException("--circs at least 2, --rtts not negative");
    }
    if (jitterPercent < 0 || jitterPercent > 100 || parallel < 1 || maxCircuits < 2) {
      throw new IllegalArgumentException("--jitter 0 to 100, --parallel and --max-circuits >= 1");
    }
  }

  static GridOptions parse(String[] args) {
    int duration = 30;
    List<Integer> rtts = List.of(10, 100, 300);
    List<Integer> capacities = List.of(1, 10, 100, 500);
    List<Integer> circs = List.of(10, 40, 160);
    List<String> backgrounds = List.of("steady", "bursty");
    List<Integer> rounds = null;
    int honest = 3;
    int cpuBound = 1;
    int liars = 1;
    int jitter = 10;
    int parallel = 16;
    // The emulated measurer tors' loop costs ~16 ms of CPU per MB (docs/benchmarks.md): 200 Mbit/s
    // at once is 40% of its core on an idle machine.
    int maxLoad = 200;
    int maxCircuits = 1600;
    int ceiling = 1000;
    long seed = 316;
    Optional<Path> svg = Optional.empty();
    Optional<Path> renderTable = Optional.empty();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unknown argument " + a);
      }
      String key = a.substring(2, eq);
      String v = a.substring(eq + 1);
      switch (key) {
        case "duration" -> duration = number(key, v);
        case "rtts" -> rtts = numbers(key, v);
        case "capacities" -> capacities = numbers(key, v);
        case "circs" -> circs = numbers(key, v);
        case "backgrounds" -> backgrounds = List.of(v.split(","));
        case "rounds" -> rounds = numbers(key, v);
        case "honest" -> honest = number(key, v);
        case "cpu-bound" -> cpuBound = number(key, v);
        case "liars" -> liars = number(key, v);
        case "jitter" -> jitter = number(key, v);
        case "parallel" -> parallel = number(key, v);
        case "max-load" -> maxLoad = number(key, v);
        case "max-circuits" -> maxCircuits = number(key, v);
        case "ceiling" -> ceiling = number(key, v);
        case "seed" -> seed = number(key, v);
        case "svg" -> svg = Optional.of(Path.of(v));
        case "render-table" -> renderTable = Optional.of(Path.of(v));
        default -> throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    if (rounds == null) {
      // Cheap cells get more samples: 3 rounds up to 10 Mbit/s, 2 up to 100, then 1.
      List<Integer> r = new ArrayList<>();
      for (int c : capacities) {
        r.add(c <= 10 ? 3 : c <= 100 ? 2 : 1);
      }
      rounds = r;
    }
    return new GridOptions(
        duration,
        rtts,
        capacities,
        circs,
        backgrounds,
        rounds,
        honest,
        cpuBound,
        liars,
        jitter,
        parallel,
        maxLoad,
        maxCircuits,
        ceiling,
        seed,
        svg,
        renderTable);
  }

  private static int number(String key, String v) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " needs a whole number: " + v, e);
    }
  }

  private static List<Integer> numbers(String key, String v) {
    List<Integer> out = new ArrayList<>();
    for (String s : v.split(",")) {
      out.add(number(key, s));
    }
    return out;
  }
}
