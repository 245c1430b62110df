package org.flashflow.testnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.RelaySpec;
import org.junit.jupiter.api.Test;

/**
 * A relay whose CPU runs out before its bandwidth, in virtual time: the relay's ticks and its
 * connections taking cells, driven by the test (no event loop is needed for either).
 */
class EmulatedRelayCpuTest {
  private static final long MS = 1_000_000L;

  /** Cells a greedy measurement got in 10 s, after 1 s to use up the initial bursts. */
  private static long cellsIn10s(RelaySpec spec) {
    long[] now = {0};
    EmulatedRelay relay =
        new EmulatedRelay(
            spec,
            0.25,
            null,
            () -> now[0],
            Duration.ofSeconds(6),
            Duration.ofSeconds(45),
            FlowControl.TOR);
    long cells = 0;
    for (long t = 0; t <= 11_000 * MS; t += 10 * MS) {
      now[0] = t;
      relay.tick();
      int n = relay.takeCells(100_000);
      if (t > 1_000 * MS) {
        cells += n;
      }
    }
    return cells;
  }

  private static RelaySpec relay(long capacity, double background) {
    return new RelaySpec(
        "cpu", Fingerprints.of("t", "cpu"), capacity, background, Behaviour.HONEST);
  }

  @Test
  void cpuCapLimitsCellsBelowTheBandwidth() {
    // 10 MB/s of bandwidth, but 1000 cells/s (514 kB/s) of CPU.
    RelaySpec spec = relay(10_000_000, 0).withCpu(1000);
    assertEquals(514_000, spec.effectiveCapacity());
    assertEquals(10_000, cellsIn10s(spec), 30);
  }

  @Test
  void backgroundAndMeasurementShareTheCpu() {
    // Background wants 2% of 10 MB/s = 200 kB/s = 389 cells/s of the 1000 the CPU can do.
    assertEquals(10_000 - 3_891, cellsIn10s(relay(10_000_000, 0.02).withCpu(1000)), 40);
  }

  @Test
  void withoutACapTheBandwidthIsTheLimit() {
    assertEquals(514_000 * 10 / 514, cellsIn10s(relay(514_000, 0)), 30);
    assertEquals(514_000, relay(514_000, 0).withCpu(5000).effectiveCapacity());
  }
}
