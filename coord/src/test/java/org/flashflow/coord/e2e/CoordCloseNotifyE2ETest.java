package org.flashflow.coord.e2e;

import static org.flashflow.coord.e2e.CoordFixture.assertFailed;
import static org.flashflow.coord.e2e.CoordFixture.beginTs;
import static org.flashflow.coord.e2e.CoordFixture.expectedCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.flashflow.common.testing.JdkTlsPeer;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A measurer whose TLS stack ends the session properly (close_notify, then waiting for ours before
 * it closes TCP) in the middle of a measurement: the real coordinator answers, closes TCP, fails
 * the measurement as for a disconnect, and no longer lists it; the next measurement runs without
 * it.
 */
class CoordCloseNotifyE2ETest {
  static final String FP = "9A".repeat(20);

  @TempDir Path dir;
  private CoordFixture coord;

  @BeforeEach
  void setUp() throws Exception {
    coord = CoordFixture.oneRelayTwoMeasurers(dir, FP);
  }

  @AfterEach
  void tearDown() throws Exception {
    coord.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void closeNotifyEndsTheMeasurerAtOnce(String protocol) throws Exception {
    coord.startReady();
    coord.measurer("alice", Script.honest(3000));
    InetSocketAddress addr = coord.daemon().measurerAddress();
    try (JdkTlsPeer bob =
        JdkTlsPeer.handshake(
            new Socket(addr.getAddress(), addr.getPort()),
            coord.trustedMeasurerKey("bob"),
            coord.coordPem(),
            protocol,
            true)) {
      String local = "127.0.0.1:" + bob.raw().getLocalPort();
      coord.awaitStatus(s -> s.contains("  bob from " + local + ","), "bob in status");

      long id = coord.measure(FP, FP);
      String connect = readObject(bob.tls().getInputStream());
      assertTrue(connect.contains("\"meas_id\":" + id + ","), connect);
      Duration tcpClosed = bob.closeNotifyAndAwaitAnswer(Duration.ofSeconds(10));

      assertTrue(tcpClosed.compareTo(Duration.ofSeconds(1)) < 0, "TCP closed after " + tcpClosed);
      assertEquals(
          "measurer bob disconnected", assertFailed(coord.awaitRecord(id), FP, "MEASURER_LOST"));
      String status = coord.status();
      assertTrue(status.contains("measurers: 1 connected"), status);
      assertFalse(status.contains("bob"), status);
    }

    long next = coord.measure(FP, FP);
    List<String> lines = coord.awaitRecord(next);
    assertEquals(expectedCompleted(next, beginTs(lines), FP, 3, List.of(3000L), 1000, 1000), lines);
  }

  /** One JSON object (the messages we expect here have no nested braces). */
  private static String readObject(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      sb.append((char) b);
      if (b == '}') {
        return sb.toString();
      }
    }
    throw new AssertionError("connection ended before a whole message: " + sb);
  }
}
