package org.flashflow.measurer.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.Config;
import org.flashflow.common.testing.ClosedPort;
import org.flashflow.common.testing.PrometheusText;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.measurer.MeasurerStatus;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring starts, keeps trying to reach a coordinator and a tor that are not there, and stops.
 */
class MeasurerDaemonTest {
  @TempDir Path dir;

  /** Held for the whole test: nothing listens there, neither a coordinator nor a tor. */
  private ClosedPort closed;

  @BeforeEach
  void holdAPort() throws IOException {
    closed = ClosedPort.closed();
  }

  @AfterEach
  void releaseThePort() throws IOException {
    closed.close();
  }

  private MeasurerConfig config() throws Exception {
    int unused = closed.port();
    return MeasurerConfig.from(
        Config.parse(
            "[measurer]\ndatadir = "
                + dir.resolve("data")
                + "\ncoord_addr = 127.0.0.1:"
                + unused
                + "\n[tor]\ncontrol_addr = 127.0.0.1:"
                + unused
                + "\n",
            "test.ini"));
  }

  @Test
  void startsWithoutPeersAndShutsDown() throws Exception {
    MeasurerConfig c = config();
    KeyGen.generate("alice", c.key().getParent().resolve("measurer.pem"));
    KeyGen.generate("coord", c.coordCert());

    MeasurerDaemon d = MeasurerDaemon.start(c, Clock.systemUTC());
    MeasurerStatus s = d.status();
    assertFalse(s.coordConnected());
    assertTrue(s.torState() != TorState.READY, s.toString());
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.datadir())));

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(d::shutdown);
    stopped.get(30, TimeUnit.SECONDS);
    d.awaitTermination();
  }

  @Test
  void servesMetricsWhenConfigured() throws Exception {
    MeasurerConfig base = config();
    MeasurerConfig c =
        MeasurerConfig.from(
            Config.parse(
                "[measurer]\ndatadir = "
                    + dir.resolve("data")
                    + "\ncoord_addr = 127.0.0.1:"
                    + closed.port()
                    + "\n[tor]\ncontrol_addr = 127.0.0.1:"
                    + closed.port()
                    + "\n[metrics]\naddr = 0\n",
                "test.ini"));
    assertEquals(Optional.empty(), base.metricsAddr());
    KeyGen.generate("alice", c.key().getParent().resolve("measurer.pem"));
    KeyGen.generate("coord", c.coordCert());
    MeasurerDaemon d = MeasurerDaemon.start(c, Clock.systemUTC(), "test");
    try {
      InetSocketAddress at = d.metricsAddress().orElseThrow();
      assertEquals("127.0.0.1", at.getAddress().getHostAddress(), "a bare port is loopback");
      PrometheusText m = PrometheusText.scrape(at);
      assertEquals(0.0, m.value("flashflow_measurer_coordinator_connected"));
      assertEquals(0.0, m.value("flashflow_measurer_tor_state", "state", "READY"));
      assertEquals(0.0, m.value("flashflow_measurer_measurements_started_total"));
    } finally {
      d.shutdown();
    }
  }

  @Test
  void missingKeyFailsAtStartNamingIt() throws Exception {
    MeasurerConfig c = config();
    IOException e =
        assertThrows(IOException.class, () -> MeasurerDaemon.start(c, Clock.systemUTC()));
    assertTrue(e.getMessage().contains(c.key().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("flashflow keygen NAME --out"), e.getMessage());
  }
}
