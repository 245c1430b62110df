package org.flashflow.testnet.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.flashflow.testnet.FlowControl;
import org.junit.jupiter.api.Test;

class CircuitFlowTest {
  @Test
  void windowOf1000CellsOpensBy100PerSendme() {
    CircuitFlow f = new CircuitFlow(FlowControl.TOR);
    assertEquals(1000, f.window());
    f.packaged(999);
    assertEquals(1, f.window());
    f.packaged(1);
    assertEquals(0, f.window());
    assertThrows(IllegalStateException.class, () -> f.packaged(1));
    f.sendmeReceived();
    assertEquals(100, f.window());
  }

  @Test
  void receiverSendsOneSendmePer100CellsDelivered() {
    CircuitFlow f = new CircuitFlow(FlowControl.TOR);
    assertEquals(0, f.delivered(99));
    assertEquals(1, f.delivered(1));
    assertEquals(2, f.delivered(250));
    assertEquals(0, f.delivered(49));
    assertEquals(1, f.delivered(1));
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new FlowControl(50, 100));
    assertThrows(IllegalArgumentException.class, () -> new FlowControl(100, 0));
  }
}
