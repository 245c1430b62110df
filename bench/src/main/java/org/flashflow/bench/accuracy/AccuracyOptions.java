package org.flashflow.bench.accuracy;

/**
 * The accuracy harness's command line.
 *
 * @param duration seconds per measurement ({@code meas_duration}); 30 as in production
 * @param honest honest relays, capacities log-uniform over 1-100 Mbit/s
 * @param liars relays that claim ten times their capacity as background
 * @param parallel measurements at most running at once
 * @param maxLoadMbit sum of the capacities of running measurements, at most (one runs anyway)
 * @param fastMbit capacity of the relay measured alone first to show what the emulator can carry; 0
 *     to skip
 * @param circs {@code [schedule] num_circs}: circuits per measurement, split between measurers
 * @param rounds times each relay is measured
 * @param seed of the relays' capacities and backgrounds
 */
record AccuracyOptions(
    int duration,
    int honest,
    int liars,
    int parallel,
    int maxLoadMbit,
    int fastMbit,
    int circs,
    int rounds,
    long seed) {
  static final String USAGE =
      "usage: bench-accuracy [--duration=30] [--relays=24] [--liars=2] [--parallel=3]"
          + " [--max-load=150] [--fast=400] [--circs=40] [--rounds=1] [--seed=316]\n"
          + "  --duration: seconds per measurement; --max-load: Mbit/s of relay capacity measured"
          + " at once, at most;\n"
          + "  --fast: Mbit/s of the relay measured alone first (emulator check; 0: skip)";

  AccuracyOptions {
    if (duration < 1 || honest < 1 || liars < 0 || parallel < 1 || circs < 2 || rounds < 1) {
      throw new IllegalArgumentException(
          "--duration, --relays, --parallel, --rounds must be at least 1, --circs at least 2");
    }
  }

  static AccuracyOptions parse(String[] args) {
    int duration = 30;
    int honest = 24;
    int liars = 2;
    int parallel = 3;
    int maxLoad = 150;
    int fast = 400;
    int circs = 40;
    int rounds = 1;
    long seed = 316;
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unknown argument " + a);
      }
      String key = a.substring(2, eq);
      long v;
      try {
        v = Long.parseLong(a.substring(eq + 1).replaceAll("s$", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + " needs a whole number: " + a, e);
      }
      switch (key) {
        case "duration" -> duration = (int) v;
        case "relays" -> honest = (int) v;
        case "liars" -> liars = (int) v;
        case "parallel" -> parallel = (int) v;
        case "max-load" -> maxLoad = (int) v;
        case "fast" -> fast = (int) v;
        case "circs" -> circs = (int) v;
        case "rounds" -> rounds = (int) v;
        case "seed" -> seed = v;
        default -> throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    return new AccuracyOptions(
        duration, honest, liars, parallel, maxLoad, fast, circs, rounds, seed);
  }
}
