package org.flashflow.coord.e2e;

import static org.flashflow.coord.e2e.CoordFixture.WAIT;
import static org.flashflow.coord.e2e.CoordFixture.assertFailed;
import static org.flashflow.coord.e2e.CoordFixture.beginTs;
import static org.flashflow.coord.e2e.CoordFixture.expectedCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.flashflow.proto.ConnectToRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misbehaving and unwelcome peers on both sockets, and the control socket's edge cases. */
class CoordPeersE2ETest {
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

  private void aliceAloneCompletes(long recv) {
    long id = coord.measure(FP, FP);
    List<String> lines = coord.awaitRecord(id);
    // max_bg floor(0.25 * recv / 0.75); claimed 1000
    assertEquals(
        expectedCompleted(id, beginTs(lines), FP, 3, List.of(recv), 1000, recv / 3), lines);
  }

  @Test
  void aTrustedMeasurerSendingInvalidJsonIsDisconnectedAndOthersGoOn() throws Exception {
    coord.startReady();
    coord.measurer("alice", Script.honest(3000));
    TestMeasurer bob = coord.measurer("bob", Script.invalidJsonAfter(1, 3000));

    long id = coord.measure(FP, FP);

    assertEquals(
        "measurer bob disconnected", assertFailed(coord.awaitRecord(id), FP, "MEASURER_LOST"));
    bob.awaitClosed(WAIT);
    coord.awaitStatus(s -> s.contains("measurers: 1 connected"), "only alice connected");
    aliceAloneCompletes(3000);

    // Garbage outside any measurement is just as fatal to the connection, and only to it.
    TestMeasurer bob2 = coord.measurer("bob", Script.honest(3000));
    bob2.sendRaw("this is not json at all}\n");
    bob2.awaitClosed(WAIT);
    coord.awaitStatus(s -> s.contains("measurers: 1 connected"), "only alice connected");
    aliceAloneCompletes(3000);
  }

  @Test
  void anUntrustedCertificateIsRejectedAndTheCoordinatorKeepsServing() throws Exception {
    coord.startReady();
    TestMeasurer mallory =
        coord.connect("mallory", coord.untrustedKey("mallory"), Script.honest(1));

    mallory.awaitClosed(WAIT);
    assertTrue(coord.status().contains("measurers: 0 connected"), coord.status());
    // A stolen name does not help either: a self-made "alice" certificate is not alice's.
    TestMeasurer fakeAlice = coord.connect("alice", coord.untrustedKey("alice"), Script.honest(1));
    fakeAlice.awaitClosed(WAIT);
    assertTrue(coord.status().contains("measurers: 0 connected"), coord.status());

    coord.measurer("alice", Script.honest(6000));
    aliceAloneCompletes(6000);
    assertEquals(List.of(), mallory.received());
  }

  @Test
  void aSecondConnectionWithTheSameNameReplacesTheFirst() throws Exception {
    coord.startReady();
    TestMeasurer first = coord.measurer("alice", Script.honest(3000));
    TestMeasurer second = coord.measurer("alice", Script.honest(3000));

    first.awaitClosed(WAIT);
    String status = coord.status();
    assertTrue(status.contains("measurers: 1 connected"), status);
    aliceAloneCompletes(3000);
    assertEquals(List.of(), first.received());
    assertEquals(
        new ConnectToRelay(
            ((ConnectToRelay) second.received().get(0)).measId(), FP, 10, 3, OptionalLong.empty()),
        second.received().get(0));
  }

  @Test
  void controlSocketErrors() throws Exception {
    coord.startReady();

    assertEquals(
        List.of("ERR unknown command \"frobnicate\" (try help)"), coord.ctrl("frobnicate"));
    String notHex = "G".repeat(40);
    assertEquals(
        List.of("ERR bad fingerprint \"" + notHex + "\": expected 40 hex digits"),
        coord.ctrl("measure " + notHex));
    assertEquals(
        List.of("ERR bad fingerprint \"$1234\": expected 40 hex digits"),
        coord.ctrl("measure $1234"));
    // Nobody to measure with yet.
    assertEquals(List.of("ERR no measurers connected"), coord.ctrl("measure " + FP));

    coord.measurer("alice", Script.honest(3000));
    List<String> unknown = coord.ctrl("measure " + "0F".repeat(20));
    assertEquals(1, unknown.size(), unknown.toString());
    assertTrue(
        unknown.get(0).startsWith("ERR unknown relay " + "0F".repeat(20)), unknown.toString());
    List<String> unknownNick = coord.ctrl("measure nosuchrelay");
    assertTrue(
        unknownNick.get(0).startsWith("ERR unknown relay nosuchrelay"), unknownNick.toString());
    // Nothing was started by any of this.
    assertTrue(coord.results().isEmpty(), coord.results().toString());
  }

  @Test
  void aLineOverOneKibIsRefusedAndTheConnectionClosed() throws Exception {
    coord.startReady();
    try (ControlClient c = new ControlClient(coord.control())) {
      assertEquals("OK", last(c.command("help")));
      c.sendRaw("measure " + "x".repeat(1100) + "\n");
      assertEquals(List.of("ERR line too long (limit 1024 bytes)"), c.readReply());
      assertNull(c.readLine(), "the coordinator closes the connection");
    }
    // ... and keeps serving others.
    assertEquals("OK", last(coord.ctrl("status")));
  }

  @Test
  void aFinalLineWithoutNewlineBeforeHalfCloseIsAnswered() throws Exception {
    coord.startReady();
    try (ControlClient c = new ControlClient(coord.control())) {
      c.sendRaw("status");
      c.shutdownOutput();
      List<String> reply = c.readReply();
      assertTrue(reply.get(0).startsWith("tor: READY"), reply.toString());
      assertEquals("OK", last(reply));
      assertNull(c.readLine(), "closed after the last reply");
    }
  }

  @Test
  void severalCommandsOnOneConnectionAndQuit() throws IOException, Exception {
    coord.startReady();
    try (ControlClient c = new ControlClient(coord.control())) {
      assertEquals("OK", last(c.command("status")));
      assertEquals("ERR measure needs a relay fingerprint or nickname", last(c.command("measure")));
      assertEquals("OK", last(c.command("help")));
      assertEquals(List.of("OK bye"), c.command("quit"));
      assertNull(c.readLine());
    }
    assertFalse(coord.status().isEmpty());
  }

  private static String last(List<String> lines) {
    return lines.get(lines.size() - 1);
  }
}
