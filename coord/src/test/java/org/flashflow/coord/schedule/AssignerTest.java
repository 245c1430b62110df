package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AssignerTest {
  private static final String FP = "F".repeat(40);

  @ParameterizedTest(name = "need {0} from {1} -> {2} / circs {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // need | free a b c           | taken (in order)   | n_circs
        "100    | a=500 b=300 c=200    | a=100              | 160",
        "600    | a=500 b=300 c=200    | a=500 b=100        | 133 27",
        "1000   | a=500 b=300 c=200    | a=500 b=300 c=200  | 80 48 32",
        "300    | a=100 b=300 c=300    | b=300              | 160", // ties: by name
        "350    | a=100 b=300 c=0      | b=300 a=50         | 137 23",
        "1001   | a=500 b=300 c=200    | -                  | -",
        "10     | a=0 b=0 c=-5         | -                  | -",
      })
  void largestFreeFirstWithProportionalCircuits(
      long need, String free, String taken, String circs) {
    Optional<Assigner.Allocation> a = Assigner.assign(FP, need, map(free), 160);
    if (taken.equals("-")) {
      assertTrue(a.isEmpty());
      return;
    }
    Assigner.Allocation got = a.orElseThrow();
    assertEquals(map(taken), got.taken());
    assertEquals(need, got.given());
    List<Assignment> as = got.request().assignments();
    assertEquals(
        List.copyOf(map(taken).keySet()), as.stream().map(Assignment::measurerName).toList());
    assertEquals(
        circs, String.join(" ", as.stream().map(x -> Integer.toString(x.nCircs())).toList()));
    for (Assignment x : as) {
      assertEquals(got.taken().get(x.measurerName()), x.bw().getAsLong());
    }
  }

  @Test
  void circuitsAtLeastOneEachAndSumToTotal() {
    assertArrayEquals(new int[] {158, 1, 1}, Assigner.circuits(List.of(1000L, 1L, 1L), 1002, 160));
    assertArrayEquals(new int[] {1, 1, 1}, Assigner.circuits(List.of(5L, 5L, 5L), 15, 2));
    Random random = new Random(7);
    for (int trial = 0; trial < 1000; trial++) {
      int n = 1 + random.nextInt(6);
      long[] shares = random.longs(n, 1, 1_000_000_000L).toArray();
      long total = Arrays.stream(shares).sum();
      int numCircs = n + random.nextInt(300);
      int[] c = Assigner.circuits(Arrays.stream(shares).boxed().toList(), total, numCircs);
      assertEquals(numCircs, Arrays.stream(c).sum());
      for (int i = 0; i < n; i++) {
        assertTrue(c[i] >= 1);
        assertTrue(Math.abs(c[i] - (double) numCircs * shares[i] / total) <= n);
      }
    }
  }

  @Test
  void neverTakesMoreThanFree() {
    Random random = new Random(11);
    for (int trial = 0; trial < 1000; trial++) {
      Map<String, Long> free = new LinkedHashMap<>();
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        free.put("m" + i, random.nextLong(0, 1000));
      }
      long need = random.nextLong(1, 3000);
      long sum = free.values().stream().mapToLong(Long::longValue).sum();
      Optional<Assigner.Allocation> a = Assigner.assign(FP, need, free, 160);
      assertEquals(need <= sum, a.isPresent());
      a.ifPresent(
          x -> x.taken().forEach((m, v) -> assertTrue(v > 0 && v <= free.get(m), m + "=" + v)));
    }
  }

  private static Map<String, Long> map(String text) {
    Map<String, Long> m = new LinkedHashMap<>();
    if (!text.equals("-")) {
      for (String kv : text.strip().split(" +", -1)) {
        String[] p = kv.split("=", -1);
        m.put(p[0], Long.parseLong(p[1]));
      }
    }
    return m;
  }
}
