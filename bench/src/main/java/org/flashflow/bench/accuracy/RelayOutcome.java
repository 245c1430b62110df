package org.flashflow.bench.accuracy;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * One ended measurement as the results log has it (docs/protocol.md section 6), with the estimate
 * of section 5 recomputed from the per-second lines.
 *
 * @param reason {@code END}, or the FAIL reason
 * @param measured per second, the measurers' recv summed (bytes)
 * @param totals per second, measured plus the background counted
 * @param cappedSeconds seconds in which the relay's claim exceeded max_bg
 * @param estimate median of totals, bytes/s; 0 for a failed measurement
 */
record RelayOutcome(
    String fp, String reason, long[] measured, long[] totals, int cappedSeconds, long estimate) {

  boolean completed() {
    return reason.equals("END");
  }

  static RelayOutcome of(List<String> lines) {
    String fp = lines.get(0).split(" ")[3];
    String[] last = lines.get(lines.size() - 1).split(" ");
    if (!last[2].equals("END")) {
      return new RelayOutcome(fp, last[3], new long[0], new long[0], 0, 0);
    }
    long begin = Long.parseLong(lines.get(0).split(" ")[1]);
    TreeMap<Long, Long> measured = new TreeMap<>();
    TreeMap<Long, Long> counted = new TreeMap<>();
    int capped = 0;
    for (String l : lines) {
      String[] f = l.split(" ");
      long i = Long.parseLong(f[1]) - begin;
      if (f[2].equals("MEASR")) {
        measured.merge(i, Long.parseLong(f[3]), Long::sum);
      } else if (f[2].equals("BG")) {
        long claimed = Long.parseLong(f[3]);
        long max = Long.parseLong(f[4]);
        counted.put(i, Math.min(claimed, max));
        if (claimed > max) {
          capped++;
        }
      }
    }
    long[] m = measured.values().stream().mapToLong(Long::longValue).toArray();
    long[] totals = new long[m.length];
    int k = 0;
    for (var e : measured.entrySet()) {
      totals[k++] = e.getValue() + counted.getOrDefault(e.getKey(), 0L);
    }
    long[] sorted = totals.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    long est = n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new RelayOutcome(fp, "END", m, totals, capped, est);
  }
}
