package org.flashflow.testnet.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One direction of a path, in virtual time (nanoseconds). */
class DelayLineTest {
  private static final long MS = 1_000_000L;

  @Test
  void cellsComeOutOneWayDelayLaterInOrder() {
    DelayLine d = new DelayLine(50 * MS, 0, new SplittableRandom(1));
    d.add(0, 10, 0);
    d.add(5 * MS, 20, 1);
    assertEquals(50 * MS, d.nextDue());
    assertEquals(DelayLine.Batch.EMPTY, d.poll(50 * MS - 1));
    assertEquals(new DelayLine.Batch(10, 0), d.poll(50 * MS));
    assertEquals(30, d.cellsInside() + 10);
    assertEquals(new DelayLine.Batch(20, 1), d.poll(60 * MS));
    assertEquals(Long.MAX_VALUE, d.nextDue());
  }

  @Test
  void zeroDelayPassesStraightThrough() {
    DelayLine d = new DelayLine(0, 0, new SplittableRandom(1));
    d.add(7, 3, 2);
    assertEquals(new DelayLine.Batch(3, 2), d.poll(7));
  }

  @Test
  void jitterStaysWithinBoundsAveragesToBaseAndNeverReorders() {
    long base = 50 * MS;
    long jitter = 20 * MS;
    DelayLine d = new DelayLine(base, jitter, new SplittableRandom(7));
    ArrayDeque<Long> in = new ArrayDeque<>();
    long sum = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    int n = 0;
    // One cell in every 2 ms, for 100 s; look every 1 ms. Cells are counted, not named, so the
    // test remembers when each went in: what comes out is the oldest (in order).
    for (long t = 0; t < 100_000 * MS; t += MS) {
      if (t % (2 * MS) == 0) {
        d.add(t, 1, 0);
        in.add(t);
      }
      for (long k = d.poll(t).cells(); k > 0; k--) {
        long delay = t - in.remove();
        sum += delay;
        min = Math.min(min, delay);
        max = Math.max(max, delay);
        n++;
      }
    }
    assertTrue(n > 49_000, n + " cells out");
    assertTrue(min >= base - jitter - DelayLine.QUANTUM, "min " + min / 1e6 + " ms");
    assertTrue(max <= base + jitter + MS, "max " + max / 1e6 + " ms");
    assertTrue(max - min > jitter, "jitter shows: " + min / 1e6 + " to " + max / 1e6 + " ms");
    // Cells bunch up behind slower ones when the delay shrinks, so the mean is a little above.
    double mean = sum / (double) n;
    assertTrue(Math.abs(mean - base) < 2 * MS, "mean delay " + mean / 1e6 + " ms");
  }
}
