package org.flashflow.torctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.common.testing.NetNs;
import org.flashflow.torctl.async.AsyncTor;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.client.TorEventListener;
import org.flashflow.torctl.model.TorEndpoint;
import org.flashflow.torctl.model.TorEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remote tor whose host falls silent at kernel level (a python3 control port in a network
 * namespace whose end of the veth pair goes down) while we only wait for events: TCP keepalive
 * notices, the reader thread ends, and the connection is reported lost. Needs root; see {@link
 * NetNs}. Keepalive 2 s idle, 1 s interval, 3 probes (about 5 s); deadline 20 s.
 */
class SilentTorNetnsTest {
  private static final TcpKeepalive FAST = new TcpKeepalive(2, 1, 3);

  private NetNs ns;
  private AsyncTor tor;
  private final BlockingQueue<String> peerOutput = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws Exception {
    ns = NetNs.create();
  }

  @AfterEach
  void tearDown() {
    try {
      if (tor != null) {
        tor.close();
      }
    } finally {
      if (ns != null) {
        ns.close(); // null when NetNs.create() skipped the test
      }
    }
  }

  @Test
  void anIdleConnectionToASilentTorIsReportedLost() throws Exception {
    ns.startPeer(peerOutput, "torctl", ns.nsAddress().getHostAddress());
    String listening = NetNs.awaitLine(peerOutput, 10, "python3 control port listening");
    int port = Integer.parseInt(listening.replace("listening ", ""));
    CompletableFuture<Exception> lost = new CompletableFuture<>();
    TorControlSettings settings =
        TorControlSettings.of(new TorEndpoint.Tcp(ns.nsAddress().getHostAddress(), port))
            .withKeepalive(FAST);
    tor =
        AsyncTor.connect(
                settings,
                new TorEventListener() {
                  @Override
                  public void onTorEvent(TorEvent event) {}

                  @Override
                  public void onConnectionLost(Exception cause) {
                    lost.complete(cause);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertEquals("authenticated", NetNs.awaitLine(peerOutput, 10, "AUTHENTICATE at the peer"));
    ns.awaitAllAcknowledged(Duration.ofSeconds(10)); // idle: nothing in flight when the link goes

    long cut = System.nanoTime();
    ns.cutLink();

    Exception cause = lost.get(20, TimeUnit.SECONDS);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
    assertNotNull(cause);
    System.out.printf("silent idle tor reported lost after %d ms: %s%n", took, cause);
  }
}
