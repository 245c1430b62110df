package org.flashflow.bench.schedule;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.flashflow.coord.schedule.Planner;
import org.flashflow.coord.schedule.ScheduleSettings.Prior;

/**
 * The schedule benchmark (docs/benchmarks.md, "Schedule"; run by {@code scripts/bench-schedule}).
 * Deterministic apart from the planning times: (1) wall time of {@code Planner.newPeriod} for a
 * Tor-sized network; (2) the makespan of measuring that network from scratch under several schemes,
 * in virtual time, as a ratio to the lower bound {@code multiplier * total capacity * duration /
 * measurer capacity}.
 *
 * <p>Options: {@code --relays=8000 --total-gbit=500 --measurers=3 --measurer-gbit=1
 * --multiplier=2.25 --duration=30 --liars=0.02 --seed=1 --runs=30}.
 */
public final class ScheduleBench {
  private ScheduleBench() {}

  public static void main(String[] args) {
    Map<String, String> o = options(args);
    int relays = Integer.parseInt(o.getOrDefault("relays", "8000"));
    double totalGbit = Double.parseDouble(o.getOrDefault("total-gbit", "500"));
    int measurerCount = Integer.parseInt(o.getOrDefault("measurers", "3"));
    double measurerGbit = Double.parseDouble(o.getOrDefault("measurer-gbit", "1"));
    double multiplier = Double.parseDouble(o.getOrDefault("multiplier", "2.25"));
    int duration = Integer.parseInt(o.getOrDefault("duration", "30"));
    double liars = Double.parseDouble(o.getOrDefault("liars", "0.02"));
    long seed = Long.parseLong(o.getOrDefault("seed", "1"));
    int runs = Integer.parseInt(o.getOrDefault("runs", "30"));

    double gbit = 1000 * SyntheticNetwork.MBIT;
    SyntheticNetwork net = SyntheticNetwork.build(relays, totalGbit * gbit, liars, seed);
    Map<String, Long> caps = new TreeMap<>();
    for (int i = 1; i <= measurerCount; i++) {
      caps.put("m" + i, (long) (measurerGbit * gbit));
    }
    double measurerTotal = measurerCount * measurerGbit * gbit;
    double lowerBound = multiplier * net.total() * duration / measurerTotal;

    System.out.printf(
        Locale.ROOT,
        "network: %d relays, %.1f Gbit/s in total (advertised %.1f Gbit/s, %d liars); median %.1f"
            + " Mbit/s, p75 %.1f, p99 %.1f, max %.1f Mbit/s; fastest 10%% hold %.0f%%%n",
        net.size(),
        net.total() / gbit,
        net.advertisedTotal() / gbit,
        count(net.liar),
        net.quantile(0.5) / SyntheticNetwork.MBIT,
        net.quantile(0.75) / SyntheticNetwork.MBIT,
        net.quantile(0.99) / SyntheticNetwork.MBIT,
        net.quantile(1.0) / SyntheticNetwork.MBIT,
        100 * net.topShare(0.1));
    System.out.printf(
        Locale.ROOT,
        "measurers: %d x %.2f Gbit/s; multiplier %.2f; %d s measurements; lower bound %.0f s ="
            + " %.2f h%n%n",
        measurerCount,
        measurerGbit,
        multiplier,
        duration,
        lowerBound,
        lowerBound / 3600);

    planningTime(net, multiplier, caps, runs);

    List<ScheduleSim.Scenario> scenarios =
        List.of(
            new ScheduleSim.Scenario(
                "proposal: 60 s slots, p75, no re-measure", 60, Prior.PERCENTILE_75, false, 0),
            new ScheduleSim.Scenario("proposal + advertised prior", 60, Prior.ADVERTISED, false, 0),
            new ScheduleSim.Scenario("ours: 60 s slots, advertised", 60, Prior.ADVERTISED, true, 0),
            new ScheduleSim.Scenario("ours: 30 s slots, p75", 30, Prior.PERCENTILE_75, true, 0),
            new ScheduleSim.Scenario("ours: 30 s slots, advertised", 30, Prior.ADVERTISED, true, 0),
            new ScheduleSim.Scenario(
                "ours: 35 s slots, advertised, 5 s setup", 35, Prior.ADVERTISED, true, 5));
    System.out.printf(
        Locale.ROOT,
        "%-42s %9s %7s %6s %6s %8s %7s %9s%n",
        "scheme (measuring the network from scratch)",
        "makespan",
        "ratio",
        "meas",
        "remeas",
        "limited",
        "unfin",
        "cap-time");
    for (ScheduleSim.Scenario s : scenarios) {
      ScheduleSim.Result r = ScheduleSim.run(net, s, duration, multiplier, caps, seed + 100);
      System.out.printf(
          Locale.ROOT,
          "%-42s %7.2f h %6.2fx %6d %6d %8d %7d %8.2fx%n",
          s.name(),
          r.makespan() / 3600,
          r.makespan() / lowerBound,
          r.measurements(),
          r.remeasurements(),
          r.limitedLeft(),
          r.unfinished(),
          r.capacitySeconds() / (multiplier * net.total() * duration));
    }
    double[] p75 = new double[net.size()];
    double[] sorted = Arrays.stream(net.advertised).asDoubleStream().sorted().toArray();
    Arrays.fill(p75, sorted[(int) Math.ceil(0.75 * sorted.length) - 1]);
    double[] advertised = Arrays.stream(net.advertised).asDoubleStream().toArray();
    System.out.printf(
        Locale.ROOT,
        "proposal's scheme over several periods (each relay once a period with %.2f x its latest,"
            + " possibly limited, estimate): every relay has a result that is not measurer-limited"
            + " after %d periods with the p75 prior (%.1f Mbit/s), %d with the advertised prior%n",
        multiplier,
        ScheduleSim.proposalPeriods(net, p75, multiplier, measurerTotal),
        p75[0] / SyntheticNetwork.MBIT,
        ScheduleSim.proposalPeriods(net, advertised, multiplier, measurerTotal));
    System.out.println();
    System.out.println(
        "makespan: until every relay has its final result (with re-measurement: one that is not"
            + " measurer-limited, or limited with all measurers); ratio: makespan / lower bound;"
            + " limited: relays whose final result is measurer-limited (a lower bound only);"
            + " cap-time: measurer capacity x time held, over multiplier x total x duration.");
  }

  private static void planningTime(
      SyntheticNetwork net, double multiplier, Map<String, Long> caps, int runs) {
    Random r = new Random(5);
    List<Planner.Relay> known = new ArrayList<>();
    List<Planner.Relay> fresh = new ArrayList<>();
    for (int i = 0; i < net.size(); i++) {
      double estimate = net.capacity[i] * (1 + 0.1 * r.nextGaussian());
      known.add(
          new Planner.Relay(
              ScheduleSim.fp(i),
              OptionalDouble.of(Math.max(1, estimate)),
              OptionalLong.of(net.advertised[i])));
      fresh.add(
          new Planner.Relay(
              ScheduleSim.fp(i), OptionalDouble.empty(), OptionalLong.of(net.advertised[i])));
    }
    System.out.println("planning one period (Planner.newPeriod, SecureRandom), " + runs + " runs:");
    for (int slot : new int[] {60, 30}) {
      for (boolean estimates : new boolean[] {true, false}) {
        ScheduleSim.Scenario s = new ScheduleSim.Scenario("", slot, Prior.ADVERTISED, true, 0);
        double[] ms = new double[runs];
        for (int run = -10; run < runs; run++) {
          Planner p = new Planner(ScheduleSim.settings(s, multiplier, caps), new SecureRandom());
          long t = System.nanoTime();
          p.newPeriod(ScheduleSim.T0, estimates ? known : fresh, caps.keySet());
          if (run >= 0) {
            ms[run] = (System.nanoTime() - t) / 1e6;
          }
        }
        Arrays.sort(ms);
        System.out.printf(
            Locale.ROOT,
            "  %d relays %s, %d slots of %d s: median %.1f ms, max %.1f ms%n",
            net.size(),
            estimates ? "with estimates (random slots)" : "all new (first slot with room)",
            Duration.ofDays(1).toSeconds() / slot,
            slot,
            ms[runs / 2],
            ms[runs - 1]);
      }
    }
    System.out.println();
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean b : flags) {
      n += b ? 1 : 0;
    }
    return n;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new TreeMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + a);
      }
      o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return o;
  }
}
