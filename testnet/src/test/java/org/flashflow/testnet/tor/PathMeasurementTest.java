package org.flashflow.testnet.tor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.Nets;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.TestnetConfig;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.network.Testnet;
import org.flashflow.torctl.client.TorControlClient;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips, circuit windows and a CPU cap over real loopback connections, in real time (3 s
 * measurements). The upper bounds are the model's: in any stretch of time a circuit carries at most
 * a window per round trip plus the window already in flight, and the relay could carry far more, so
 * they fail when the round trip or the window is not applied. The lower bounds only check that
 * traffic flows: on a machine whose cores are taken by other programs (and in a cold JVM) the event
 * loops run late, which stretches every round trip.
 */
@Timeout(60)
class PathMeasurementTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long FAST = 10_000_000; // 80 Mbit/s, far above one circuit at 200 ms
  @TempDir static Path dir;
  static Testnet net;

  @BeforeAll
  static void start() throws IOException {
    net =
        Testnet.start(
            new TestnetConfig(
                dir,
                "127.0.0.1",
                0,
                0.25,
                List.of("alice", "bob"),
                AuthMode.NULL,
                Optional.empty(),
                "test",
                Duration.ofSeconds(2),
                Duration.ofSeconds(6),
                Duration.ofSeconds(45),
                List.of(
                    Nets.relay("far", FAST, 0, Behaviour.HONEST).withLatency(Latency.ofMillis(100)),
                    Nets.relay("busy", FAST, 0, Behaviour.HONEST).withCpu(2000)),
                // alice adds 100 ms to every path, bob nothing.
                Map.of("alice", Latency.ofMillis(100)),
                FlowControl.TOR));
  }

  @AfterAll
  static void stop() {
    net.close();
  }

  /** One measurement by {@code measurer} alone; the measurer tor's BW_REPORTs. */
  private static List<FfMeasEvent.BwReport> measure(
      String measurer, String nick, int circs, int dur) throws Exception {
    String fp =
        net.relays().stream()
            .filter(r -> r.nickname().equals(nick))
            .map(RelayEntry::fingerprint)
            .findFirst()
            .orElseThrow();
    Nets.Recorder rec = new Nets.Recorder();
    long id = Math.abs(nick.hashCode() + measurer.hashCode()) + 1L;
    try (TorControlClient m =
        TorControlClient.connect(Nets.settings(net.measurerTors().get(measurer)), rec)) {
      m.setEvents(List.of("CIRC", "FF_MEAS"));
      m.measrStartMeas(id, fp, circs, dur, OptionalLong.empty());
      int built = 0;
      while (built < circs) {
        CircEvent e = rec.next(CircEvent.class, WAIT);
        assertTrue(e.status() != CircStatus.FAILED, e.toString());
        built += e.status() == CircStatus.BUILT ? 1 : 0;
      }
      m.measrStartMeasActive(id, fp, circs, dur, OptionalLong.empty());
      List<FfMeasEvent.BwReport> out = new ArrayList<>();
      for (int i = 0; i < dur; i++) {
        out.add(rec.next(FfMeasEvent.BwReport.class, WAIT));
      }
      return out;
    }
  }

  @Test
  void oneCircuitCarriesOneWindowPerRoundTrip() throws Exception {
    // alice (100 ms) to far (100 ms): 200 ms, so 1000 cells x 514 bytes / 0.2 s = 2.57 MB/s.
    List<FfMeasEvent.BwReport> r = measure("alice", "far", 1, 3);
    long window = 1000L * 514;
    // Seconds 2 and 3: at most 2 s / 0.2 s windows plus the one in flight at the start.
    long got = r.get(1).recv() + r.get(2).recv();
    assertTrue(got <= 11 * window, "over the window bound: " + r);
    assertTrue(got >= 2 * window, "hardly anything flowed: " + r);
    // Nothing comes back within the first round trip, and the relay could carry 4 times more.
    assertTrue(r.get(0).recv() <= 5 * window, r.toString());
  }

  @Test
  void theRelaysRoundTripAloneCountsForBob() throws Exception {
    // bob adds nothing: 100 ms, 5.14 MB/s on one circuit, still half the relay.
    List<FfMeasEvent.BwReport> r = measure("bob", "far", 1, 3);
    long window = 1000L * 514;
    long got = r.get(1).recv() + r.get(2).recv();
    assertTrue(got <= 21 * window, "over the window bound: " + r);
    assertTrue(got >= 2 * window, "hardly anything flowed: " + r);
  }

  @Test
  void cpuCapNotBandwidthLimitsABusyRelay() throws Exception {
    // 2000 cells/s of CPU: 1.03 MB/s, a tenth of its bandwidth; four circuits, no round trip.
    List<FfMeasEvent.BwReport> r = measure("bob", "busy", 4, 3);
    long cpu = 2000L * 514;
    long got = r.get(1).recv() + r.get(2).recv();
    assertTrue(got <= 2 * cpu + cpu / 10, "over the CPU cap: " + r);
    assertTrue(got >= cpu / 2, "hardly anything flowed: " + r);
  }
}
