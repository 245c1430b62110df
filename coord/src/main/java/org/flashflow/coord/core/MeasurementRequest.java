package org.flashflow.coord.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What to measure and with whom: one relay, and each measurer's share of the work. The control
 * command builds one with every connected measurer; the schedule builds them from capacities.
 *
 * @param relayFp 40 upper-case hex digits
 * @param assignments in the order the results log lists the measurers; names unique
 */
public record MeasurementRequest(String relayFp, List<Assignment> assignments) {
  private static final Pattern FP = Pattern.compile("[0-9A-F]{40}");

  public MeasurementRequest {
    Objects.requireNonNull(relayFp, "relayFp");
    if (!FP.matcher(relayFp).matches()) {
      throw new IllegalArgumentException("not an upper-case 40-hex fingerprint: " + relayFp);
    }
    assignments = List.copyOf(assignments);
    if (assignments.isEmpty()) {
      throw new IllegalArgumentException("a measurement needs at least one measurer");
    }
    Set<String> names = new HashSet<>();
    for (Assignment a : assignments) {
      if (!names.add(a.measurerName())) {
        throw new IllegalArgumentException("measurer " + a.measurerName() + " assigned twice");
      }
    }
  }

  /**
   * The measurer capacity given to the measurement, bytes/s: the sum of the assignments' {@code bw}
   * when every assignment has one; empty when any measurer goes as fast as it can (a manual {@code
   * measure}), so the result can never be measurer-limited. Saturates at {@code Long.MAX_VALUE}.
   */
  public OptionalLong givenBw() {
    long sum = 0;
    for (Assignment a : assignments) {
      if (a.bw().isEmpty()) {
        return OptionalLong.empty();
      }
      long bw = a.bw().getAsLong();
      sum = sum > Long.MAX_VALUE - bw ? Long.MAX_VALUE : sum + bw;
    }
    return OptionalLong.of(sum);
  }

  /** {@code totalCircs} split as evenly as possible over {@code measurers}, at least 1 each. */
  public static MeasurementRequest evenSplit(
      String relayFp, List<String> measurers, int totalCircs) {
    int n = measurers.size();
    List<Assignment> list =
        IntStream.range(0, n)
            .mapToObj(
                i -> {
                  int share = totalCircs / n + (i < totalCircs % n ? 1 : 0);
                  return new Assignment(measurers.get(i), Math.max(1, share), OptionalLong.empty());
                })
            .toList();
    return new MeasurementRequest(relayFp, list);
  }

  /**
   * One measurer's part.
   *
   * @param bw bytes/s this measurer should provide; empty for as fast as it can
   */
  public record Assignment(String measurerName, int nCircs, OptionalLong bw) {
    public Assignment {
      Objects.requireNonNull(measurerName, "measurerName");
      Objects.requireNonNull(bw, "bw");
      if (nCircs < 1) {
        throw new IllegalArgumentException("n_circs must be at least 1, not " + nCircs);
      }
      if (bw.isPresent() && bw.getAsLong() < 1) {
        throw new IllegalArgumentException("bw must be at least 1 byte/s, not " + bw.getAsLong());
      }
    }
  }
}
