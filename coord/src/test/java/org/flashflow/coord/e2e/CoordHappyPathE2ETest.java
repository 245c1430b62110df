package org.flashflow.coord.e2e;

import static org.flashflow.coord.e2e.CoordFixture.beginTs;
import static org.flashflow.coord.e2e.CoordFixture.expectedCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Behaviour;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Relay;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole measurements over loopback with real parts: the coordinator daemon, TLS measurers, jtorctl
 * talking to a fake FlashFlow tor, the control socket, the results log and the bandwidth file.
 */
class CoordHappyPathE2ETest {
  static final String FP = "AB".repeat(20);
  static final String LIAR_FP = "CD".repeat(20);

  @TempDir Path dir;
  private CoordFixture coord;

  @BeforeEach
  void setUp() throws Exception {
    FakeFlashFlowTor tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(new Relay("honest", FP, 300_000, 200_000), Behaviour.HONEST);
    tor.addRelay(new Relay("liar", LIAR_FP, 50_000_000, 50_000_000), Behaviour.HONEST);
    coord = new CoordFixture(dir).attach(tor);
  }

  @AfterEach
  void tearDown() throws Exception {
    coord.close();
  }

  @Test
  void oneMeasurerMeasuresByFingerprintAndTheBandwidthFileHasTheEstimate() throws Exception {
    coord.trustedMeasurerKey("alice");
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.honest(1_000_000));

    long id = coord.measure(FP.toLowerCase(java.util.Locale.ROOT), FP);
    List<String> lines = coord.awaitRecord(id);

    // measured 1e6, claimed min(300000, 200000), max_bg floor(0.25 * 1e6 / 0.75)
    assertEquals(
        expectedCompleted(id, beginTs(lines), FP, 3, List.of(1_000_000L), 200_000, 333_333), lines);
    assertEquals(
        List.of(new ConnectToRelay(id, FP, 10, 3, OptionalLong.empty()), new Go(id)),
        alice.received());

    List<String> v3bw = coord.ctrl("v3bw");
    assertEquals(1, v3bw.size(), v3bw.toString());
    assertTrue(v3bw.get(0).startsWith("OK "), v3bw.toString());
    Path file = Path.of(v3bw.get(0).substring(3));
    String relayLine = relayLine(file, FP);
    // estimate = 1e6 + 200000 bytes/s = 1200 kB/s
    assertTrue(relayLine.contains(" bw=1200 "), relayLine);
    assertTrue(relayLine.contains(" meas_id=" + id), relayLine);
    assertTrue(relayLine.contains(" nick=honest"), relayLine);
    // The relay that was never measured is listed as unmeasured from tor's consensus.
    assertTrue(relayLine(file, LIAR_FP).contains(" bw=1 "), relayLine(file, LIAR_FP));
    assertEquals(
        file.toRealPath(),
        dir.resolve("coord/v3bw/v3bw").toRealPath(),
        "the v3bw symlink points at the new file");
  }

  @Test
  void twoMeasurersMeasureByNicknameAndStatusListsThem() throws Exception {
    coord.trustedMeasurerKey("alice");
    coord.trustedMeasurerKey("bob");
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.honest(1_000_000));
    TestMeasurer bob = coord.measurer("bob", Script.honest(2_000_000));

    String status = coord.status();
    assertTrue(status.contains("measurers: 2 connected"), status);
    assertTrue(status.contains("tor: READY"), status);

    long id = coord.measure("honest", FP);
    List<String> lines = coord.awaitRecord(id);

    // measured 3e6; max_bg floor(0.25 * 3e6 / 0.75) = 1e6; claimed 200000 is believed
    assertEquals(
        expectedCompleted(
            id, beginTs(lines), FP, 3, List.of(1_000_000L, 2_000_000L), 200_000, 1_000_000),
        lines);
    // num_circs 10, split evenly
    assertEquals(5, connectOf(alice, id).nCircs());
    assertEquals(5, connectOf(bob, id).nCircs());
    assertEquals(3, alice.reportsSent(id));
    assertEquals(3, bob.reportsSent(id));

    coord.awaitStatus(
        s -> s.contains("measurements: 0 live, 1 completed and 0 failed"), "one completed");
    List<String> v3bw = coord.ctrl("v3bw");
    assertTrue(v3bw.get(0).startsWith("OK "), v3bw.toString());
    // estimate 3.2e6 bytes/s
    assertTrue(
        relayLine(Path.of(v3bw.get(0).substring(3)), FP).contains(" bw=3200 "),
        relayLine(Path.of(v3bw.get(0).substring(3)), FP));
  }

  @Test
  void aRelayThatClaimsTooMuchBackgroundIsCappedAtMeasuredOverOneMinusR() throws Exception {
    coord.trustedMeasurerKey("alice");
    coord.startReady();
    coord.measurer("alice", Script.honest(1_000_000));

    long id = coord.measure(LIAR_FP, LIAR_FP);
    List<String> lines = coord.awaitRecord(id);

    // claims 50 MB/s of background against 1 MB/s measured: believed only 333333
    assertEquals(
        expectedCompleted(id, beginTs(lines), LIAR_FP, 3, List.of(1_000_000L), 50_000_000, 333_333),
        lines);
    List<String> v3bw = coord.ctrl("v3bw");
    String relayLine = relayLine(Path.of(v3bw.get(0).substring(3)), LIAR_FP);
    // estimate capped at 1e6 / (1 - 0.25) = 1333333 bytes/s, not 51 MB/s
    assertTrue(relayLine.contains(" bw=1333 "), relayLine);
  }

  private static ConnectToRelay connectOf(TestMeasurer m, long id) {
    return (ConnectToRelay)
        m.received().stream()
            .filter(x -> x instanceof ConnectToRelay c && c.measId() == id)
            .findFirst()
            .orElseThrow(() -> new AssertionError(m.name() + " got no ConnectToRelay"));
  }

  static String relayLine(Path v3bw, String fp) throws Exception {
    List<String> lines = Files.readAllLines(v3bw, StandardCharsets.UTF_8);
    Optional<String> line =
        lines.stream().filter(l -> l.startsWith("node_id=$" + fp + " ")).findFirst();
    assertTrue(line.isPresent(), "no line for " + fp + " in " + lines);
    return line.get() + " ";
  }

  static boolean isGo(Message m, long id) {
    return m instanceof Go g && g.measId() == id;
  }
}
