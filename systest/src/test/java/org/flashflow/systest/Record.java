package org.flashflow.systest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One measurement's lines in the results log (docs/protocol.md section 6), read independently of
 * the coordinator's own parser, so these tests check its output rather than trust it.
 *
 * @param lines every line of this meas_id, in file order
 * @param outcome {@code END} or {@code FAIL}
 * @param reason the FAIL reason token; empty for END
 * @param detail the FAIL free text; empty for END
 */
record Record(
    long measId,
    String fp,
    long beginTs,
    List<String> lines,
    String outcome,
    String reason,
    String detail) {

  /** Parses {@code lines} (all of one meas_id, ending in END or FAIL). */
  static Record of(List<String> lines) {
    String[] begin = lines.get(0).split(" ");
    if (!begin[2].equals("BEGIN")) {
      throw new AssertionError("first line is not BEGIN: " + lines);
    }
    String[] last = lines.get(lines.size() - 1).split(" ", 5);
    return new Record(
        Long.parseLong(begin[0]),
        begin[3],
        Long.parseLong(begin[1]),
        List.copyOf(lines),
        last[2],
        last[2].equals("FAIL") ? last[3] : "",
        last.length > 4 ? last[4] : "");
  }

  boolean completed() {
    return outcome.equals("END");
  }

  /** Per second (ts - begin), the sum of the measurers' recv. */
  List<Long> measured() {
    TreeMap<Long, Long> bySecond = new TreeMap<>();
    for (String l : lines) {
      String[] f = l.split(" ");
      if (f[2].equals("MEASR")) {
        bySecond.merge(Long.parseLong(f[1]) - beginTs, Long.parseLong(f[3]), Long::sum);
      }
    }
    return new ArrayList<>(bySecond.values());
  }

  /** Per second, the MEASR lines' count (how many measurers reported that second). */
  List<Integer> measurersPerSecond() {
    TreeMap<Long, Integer> bySecond = new TreeMap<>();
    for (String l : lines) {
      String[] f = l.split(" ");
      if (f[2].equals("MEASR")) {
        bySecond.merge(Long.parseLong(f[1]) - beginTs, 1, Integer::sum);
      }
    }
    return new ArrayList<>(bySecond.values());
  }

  /** The BG lines as {claimed, max_bg}, in order. */
  List<long[]> background() {
    List<long[]> out = new ArrayList<>();
    for (String l : lines) {
      String[] f = l.split(" ");
      if (f[2].equals("BG")) {
        out.add(new long[] {Long.parseLong(f[3]), Long.parseLong(f[4])});
      }
    }
    return out;
  }

  /** The estimate of docs/protocol.md section 5, in bytes/s; empty unless the measurement ended. */
  Optional<Long> estimate() {
    if (!completed()) {
      return Optional.empty();
    }
    List<Long> measured = measured();
    List<long[]> bg = background();
    if (measured.size() != bg.size() || measured.isEmpty()) {
      throw new AssertionError("MEASR seconds and BG lines differ: " + lines);
    }
    long[] totals = new long[measured.size()];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = measured.get(i) + Math.min(bg.get(i)[0], bg.get(i)[1]);
    }
    Arrays.sort(totals);
    int n = totals.length;
    return Optional.of(n % 2 == 1 ? totals[n / 2] : (totals[n / 2 - 1] + totals[n / 2]) / 2);
  }

  @Override
  public String toString() {
    return String.join("\n", lines);
  }
}
