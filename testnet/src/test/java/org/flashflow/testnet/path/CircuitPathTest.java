package org.flashflow.testnet.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.flashflow.testnet.Cells;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.relay.TokenBucket;
import org.junit.jupiter.api.Test;

/**
 * Circuits through emulated paths to one relay, in virtual time: the relay side is played by the
 * test as the emulated relay does it (take cells as its token bucket allows, echo them, one SENDME
 * per 100 taken). One circuit carries a window per round trip; many circuits carry the relay.
 */
class CircuitPathTest {
  private static final long MS = 1_000_000L;
  private static final long MBIT = 125_000;

  /** Echoed bytes per second delivered to the measurer, from second 5 to second 15. */
  private static double simulate(int circuits, Latency latency, long capacity) {
    return simulate(circuits, latency, capacity, FlowControl.TOR, new long[1]);
  }

  private static double simulate(
      int circuits, Latency latency, long capacity, FlowControl fc, long[] maxOutstanding) {
    List<CircuitPath> paths = new ArrayList<>();
    List<CircuitFlow> relayEnds = new ArrayList<>();
    long[] queued = new long[circuits];
    long[] outstanding = new long[circuits];
    for (int i = 0; i < circuits; i++) {
      paths.add(new CircuitPath(latency, fc, new SplittableRandom(i)));
      relayEnds.add(new CircuitFlow(fc));
    }
    TokenBucket bucket = new TokenBucket(capacity, Math.max(capacity / 20, 16 * 514), 0);
    long counted = 0;
    for (long t = 0; t <= 15_000 * MS; t += MS / 4) {
      for (int i = 0; i < circuits; i++) {
        CircuitPath p = paths.get(i);
        long got = p.deliver(t);
        outstanding[i] -= got;
        if (t > 5_000 * MS) {
          counted += got;
        }
        int w = p.window();
        p.send(t, w);
        outstanding[i] += w;
        maxOutstanding[0] = Math.max(maxOutstanding[0], outstanding[i]);
        queued[i] += p.arrivedAtRelay(t);
      }
      // The relay: circuits in turn, as the token bucket allows.
      for (int k = 0; k < circuits; k++) {
        int i = (int) ((k + t) % circuits);
        long n = bucket.takeUnits(queued[i], Cells.SIZE, t);
        queued[i] -= n;
        paths.get(i).fromRelay(t, n, relayEnds.get(i).delivered((int) n));
      }
    }
    return counted * Cells.SIZE / 10.0;
  }

  private static void assertNear(double expected, double actual, double tolerance, String what) {
    assertTrue(
        Math.abs(actual - expected) <= tolerance * expected,
        what + ": " + actual / MBIT + " Mbit/s, expected " + expected / MBIT);
  }

  @Test
  void oneCircuitCarriesOneWindowPerRoundTrip() {
    for (long rtt : new long[] {10, 100, 300}) {
      double bound = FlowControl.TOR.bytesPerSecond(rtt / 1000.0, Cells.SIZE);
      long[] max = new long[1];
      double got = simulate(1, Latency.ofMillis(rtt), 10_000 * MBIT, FlowControl.TOR, max);
      assertNear(bound, got, 0.02, "1 circuit at " + rtt + " ms");
      assertEquals(1000, max[0], "never more than the window in flight");
    }
    // 300 ms: 1000 cells x 514 bytes / 0.3 s = 1.71 MB/s = 13.7 Mbit/s.
    assertEquals(13.7, FlowControl.TOR.bytesPerSecond(0.3, Cells.SIZE) / MBIT, 0.05);
  }

  @Test
  void smallerWindowCarriesProportionallyLess() {
    double got =
        simulate(1, Latency.ofMillis(100), 10_000 * MBIT, new FlowControl(500, 50), new long[1]);
    assertNear(500 * 514 / 0.1, got, 0.02, "window 500 at 100 ms");
  }

  @Test
  void manyCircuitsAddUpUntilTheRelayIsTheLimit() {
    Latency rtt300 = Latency.ofMillis(300);
    // 10 circuits: 137 Mbit/s at most, whatever the relay could do.
    assertNear(10 * 13.71 * MBIT, simulate(10, rtt300, 500 * MBIT), 0.02, "10 circuits");
    // 40 and 160 circuits: 548 and 2193 Mbit/s of windows, so the relay's 500 is what shows.
    assertNear(500 * MBIT, simulate(40, rtt300, 500 * MBIT), 0.02, "40 circuits");
    assertNear(500 * MBIT, simulate(160, rtt300, 500 * MBIT), 0.02, "160 circuits");
  }

  @Test
  void jitterAveragesOut() {
    Latency l = new Latency(Duration.ofMillis(100), Duration.ofMillis(40));
    double got = simulate(1, l, 10_000 * MBIT);
    // A varying round trip: between the windows per slowest and fastest trip, near the mean's.
    assertTrue(got >= 1000 * 514 / 0.14 && got <= 1000 * 514 / 0.06, got / MBIT + " Mbit/s");
    assertNear(1000 * 514 / 0.1, got, 0.1, "1 circuit at 100 +- 40 ms");
  }

  @Test
  void loopbackIsLimitedByTheRelayAlone() {
    assertNear(100 * MBIT, simulate(1, Latency.NONE, 100 * MBIT), 0.02, "no round trip");
  }
}
