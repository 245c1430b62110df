package org.flashflow.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** The timers, and that they reach a plain socket; the Netty connections are tested end to end. */
class TcpKeepaliveTest {
  @Test
  void defaultGivesUpOnASilentPeerWithinAMinute() {
    assertEquals(Duration.ofSeconds(40), TcpKeepalive.DEFAULT.giveUpAfter());
    assertEquals(Duration.ofSeconds(5), new TcpKeepalive(2, 1, 3).giveUpAfter());
  }

  @Test
  void zeroTimersAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new TcpKeepalive(0, 1, 1));
    assertEquals(
        "keepalive idle, interval and probes must be at least 1: idle 0 s, interval 1 s, probes 1",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TcpKeepalive(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TcpKeepalive(1, 1, 0));
  }

  @Test
  void aPlainSocketGetsTheTimers() throws Exception {
    try (Socket s = new Socket()) {
      new TcpKeepalive(7, 3, 5).applyTo(s);
      assertTrue(s.getKeepAlive());
      assertEquals(7, s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
      assertEquals(3, s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
      assertEquals(5, s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
    }
  }
}
