package org.flashflow.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class ClosedPortTest {
  @Test
  void connectingIsRefusedAndNobodyElseCanListen() throws Exception {
    try (ClosedPort p = ClosedPort.closed()) {
      for (int i = 0; i < 3; i++) {
        try (Socket s = new Socket()) {
          assertThrows(ConnectException.class, () -> s.connect(p.address(), 5_000));
        }
      }
      try (ServerSocket other = new ServerSocket()) {
        other.setReuseAddress(true);
        assertThrows(BindException.class, () -> other.bind(p.address()));
      }
    }
  }

  @Test
  void aServerCanTakeOverAPortHeldForIt() throws Exception {
    try (ClosedPort p = ClosedPort.forLaterServer()) {
      try (Socket s = new Socket()) {
        assertThrows(ConnectException.class, () -> s.connect(p.address(), 5_000));
      }
      try (ServerSocket server = new ServerSocket()) {
        server.bind(p.address());
        try (Socket s = new Socket()) {
          s.connect(p.address(), 5_000);
          assertEquals(p.port(), s.getPort());
        }
      }
    }
  }
}
