package org.flashflow.coord.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.MeasurementRequest.Assignment;

/**
 * Splits one measurement's need over measurers. Largest free capacity first, so that a small relay
 * is measured by one measurer (fewer parties that can fail) and the load spreads over measurers
 * evenly; each measurer's {@code n_circs} is proportional to its share of the bandwidth, because a
 * measurer's circuits are what carry its share.
 */
public final class Assigner {
  private Assigner() {}

  /**
   * One measurement's measurers.
   *
   * @param request what to send the coordinator
   * @param taken bytes/s taken from each measurer (the {@code bw} of its assignment)
   * @param given the sum of {@code taken}: the measurer capacity the relay gets
   */
  public record Allocation(MeasurementRequest request, Map<String, Long> taken, long given) {
    public Allocation {
      taken = Map.copyOf(taken);
    }
  }

  /**
   * Covers {@code need} bytes/s from {@code free} (measurer name to free bytes/s, in any order).
   *
   * @return empty if the free capacity together is less than {@code need}
   */
  public static Optional<Allocation> assign(
      String relayFp, long need, Map<String, Long> free, int numCircs) {
    if (need < 1) {
      throw new IllegalArgumentException("need must be positive, not " + need);
    }
    List<Map.Entry<String, Long>> order = new ArrayList<>(free.entrySet());
    order.removeIf(e -> e.getValue() <= 0);
    order.sort(
        Comparator.comparing(Map.Entry<String, Long>::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    Map<String, Long> taken = new LinkedHashMap<>();
    long left = need;
    for (Map.Entry<String, Long> e : order) {
      if (left == 0) {
        break;
      }
      long share = Math.min(left, e.getValue());
      taken.put(e.getKey(), share);
      left -= share;
    }
    if (left > 0) {
      return Optional.empty();
    }
    return Optional.of(allocation(relayFp, taken, numCircs));
  }

  /**
   * The allocation that takes exactly {@code taken} (measurer to bytes/s, in assignment order): for
   * the fallback that measures a relay with every measurer's whole capacity.
   */
  public static Allocation allocation(String relayFp, Map<String, Long> taken, int numCircs) {
    long given = 0;
    for (long v : taken.values()) {
      given = Math.addExact(given, v);
    }
    int[] circs = circuits(List.copyOf(taken.values()), given, numCircs);
    List<Assignment> assignments = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Long> e : taken.entrySet()) {
      assignments.add(new Assignment(e.getKey(), circs[i++], OptionalLong.of(e.getValue())));
    }
    return new Allocation(new MeasurementRequest(relayFp, assignments), taken, given);
  }

  /**
   * {@code numCircs} split in proportion to {@code shares} by largest remainder, at least 1 each
   * (so the total exceeds {@code numCircs} only when there are more measurers than circuits).
   */
  static int[] circuits(List<Long> shares, long total, int numCircs) {
    int n = shares.size();
    int[] circs = new int[n];
    double[] rest = new double[n];
    int used = 0;
    for (int i = 0; i < n; i++) {
      double exact = (double) numCircs * shares.get(i) / total;
      circs[i] = Math.max(1, (int) Math.floor(exact));
      rest[i] = exact - Math.floor(exact);
      used += circs[i];
    }
    while (used > numCircs) {
      // The minimum of 1 pushed the sum over: take from the largest, which minds it least.
      int largest = 0;
      for (int i = 1; i < n; i++) {
        if (circs[i] > circs[largest]) {
          largest = i;
        }
      }
      if (circs[largest] == 1) {
        break; // more measurers than circuits: 1 each
      }
      circs[largest]--;
      used--;
    }
    while (used < numCircs) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      circs[best]++;
      rest[best] = -1;
      used++;
    }
    return circs;
  }
}
