package org.flashflow.testnet.tor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Nets;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.network.Testnet;
import org.flashflow.torctl.client.TorControlClient;
import org.flashflow.torctl.model.FfMeasEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in benchmark ({@code -Dflashflow.perf=true}): how fast one measurer can pump through one
 * relay whose capacity is far above what the emulator can carry, and what that costs in CPU. The
 * numbers go to stdout; the assertion is the floor, 100 Mbit/s.
 */
@EnabledIfSystemProperty(named = "flashflow.perf", matches = "true")
class ThroughputPerfTest {
  @Test
  void unlimitedRelay(@TempDir Path dir) throws Exception {
    int circs = Integer.getInteger("flashflow.perf.circs", 8);
    int dur = 5;
    try (Testnet net =
        Testnet.start(
            Nets.config(
                dir,
                AuthMode.NULL,
                List.of(
                    Nets.relay(
                        "fast",
                        Long.getLong("flashflow.perf.capacity", 10_000_000_000L),
                        0,
                        Behaviour.HONEST))))) {
      String fp = net.relays().get(0).fingerprint();
      Nets.Recorder rec = new Nets.Recorder();
      try (TorControlClient m =
          TorControlClient.connect(Nets.settings(net.measurerTors().get("alice")), rec)) {
        m.setEvents(List.of("CIRC", "FF_MEAS"));
        m.measrStartMeas(1, fp, circs, dur, OptionalLong.empty());
        int built = 0;
        int failed = 0;
        while (built + failed < circs) {
          var e = rec.next(org.flashflow.torctl.model.CircEvent.class, Duration.ofSeconds(10));
          if (e.status() == org.flashflow.torctl.model.CircEvent.CircStatus.BUILT) {
            built++;
          } else if (e.status() == org.flashflow.torctl.model.CircEvent.CircStatus.FAILED) {
            failed++; // the channel's handshake in a cold JVM may miss the tests' 1 s timeout
          }
        }
        System.out.printf("%d of %d circuits built%n", built, circs);
        var os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        m.measrStartMeasActive(1, fp, circs, dur, OptionalLong.empty());
        long total = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < dur; i++) {
          FfMeasEvent.BwReport r = rec.next(FfMeasEvent.BwReport.class, Duration.ofSeconds(10));
          System.out.printf(
              "second %d: sent %d recv %d (%.1f Mbit/s)%n",
              i, r.sent(), r.recv(), r.recv() * 8 / 1e6);
          total += r.recv();
          if (i >= 3) { // the first seconds run in a cold JIT (and 160 handshakes)
            min = Math.min(min, r.recv());
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(
            "%d circuits: mean %.1f Mbit/s, min of warm seconds %.1f Mbit/s; CPU %.2f s over %.2f s wall = %.0f%% of one core%n",
            circs, total * 8 / 1e6 / dur, min * 8 / 1e6, cpu, secs, 100 * cpu / secs);
        long floor =
            Math.min(Long.getLong("flashflow.perf.capacity", Long.MAX_VALUE / 8) * 8, 100_000_000L);
        assertTrue(min * 8 >= floor * 95 / 100, "warm seconds below " + floor + " bit/s: " + min);
      }
    }
  }
}
