package org.flashflow.coord.e2e;

import static org.flashflow.coord.e2e.CoordFixture.WAIT;
import static org.flashflow.coord.e2e.CoordFixture.assertFailed;
import static org.flashflow.coord.e2e.CoordFixture.beginTs;
import static org.flashflow.coord.e2e.CoordFixture.expectedCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Behaviour;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Relay;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.flashflow.coord.results.ResultsLogFormat;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.proto.Failure;
import org.flashflow.proto.FailureCode;
import org.flashflow.torctl.model.RouterStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator and its tor: losing it, a tor without FlashFlow, and shutting down. */
class CoordTorE2ETest {
  static final String FP = "7E".repeat(20);

  @TempDir Path dir;
  private CoordFixture coord;
  private FakeFlashFlowTor tor;

  private void start(boolean flashFlow) throws Exception {
    tor = new FakeFlashFlowTor(flashFlow, 100);
    tor.addRelay(new Relay("relay7", FP, 1000, 1000), Behaviour.HONEST);
    coord = new CoordFixture(dir).attach(tor);
    coord.trustedMeasurerKey("alice");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (coord != null) {
      coord.close();
    }
  }

  /** Starts a measurement whose measurer never reports, and waits until it is ACTIVE. */
  private long liveMeasurement() {
    long id = coord.measure(FP, FP);
    coord.awaitStatus(
        s -> s.contains("meas_id=" + id + " fp=" + FP + " ACTIVE"), "meas_id " + id + " ACTIVE");
    return id;
  }

  @Test
  void savesTheConsensusOnceTorIsReadySoOfflineV3bwHasIt() throws Exception {
    start(true);
    coord.startReady();
    Path saved = coord.dir().resolve("coord").resolve(ConsensusStore.FILE_NAME);
    Await.until(WAIT, () -> Files.isRegularFile(saved), "consensus saved in " + saved);
    List<RouterStatus> relays = new ConsensusStore(saved.getParent()).load();
    assertEquals(List.of(FP), relays.stream().map(RouterStatus::fingerprint).toList());
  }

  @Test
  void losingTorFailsTheMeasurementAndTheBridgeReconnects() throws Exception {
    start(true);
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.stopsAfter(0, 3000));
    long id = liveMeasurement();

    tor.refuseConnections(true);
    tor.dropConnections();

    String detail = assertFailed(coord.awaitRecord(id), FP, "TOR_LOST");
    assertTrue(detail.startsWith("tor connection LOST"), detail);
    Failure f = alice.awaitFailure(id, WAIT);
    assertEquals(FailureCode.C_MEAS_ABORTED.wireValue(), f.code());
    String status = coord.status();
    assertTrue(status.contains("tor: LOST"), status);
    assertTrue(coord.ctrl("measure " + FP).get(0).startsWith("ERR lost the connection to tor"));

    tor.refuseConnections(false);
    coord.awaitStatus(s -> s.contains("tor: READY"), "tor READY after reconnecting");
    alice.script(Script.honest(3000));
    long next = coord.measure(FP, FP);
    List<String> lines = coord.awaitRecord(next);
    assertEquals(expectedCompleted(next, beginTs(lines), FP, 3, List.of(3000L), 1000, 1000), lines);
  }

  @Test
  void aTorWithoutFlashFlowIsReportedAndMeasurementsAreRefused() throws Exception {
    start(false);
    long begin = Instant.now().getEpochSecond() - 3600;
    MeasurementRecord earlier =
        new MeasurementRecord(
            42,
            FP,
            begin,
            List.of(new MeasurementRecord.Second(List.of(5000L), 0, 1666)),
            Optional.empty());
    Files.createDirectories(coord.resultsLog().getParent());
    Files.writeString(coord.resultsLog(), ResultsLogFormat.render(earlier));
    coord.start();
    coord.measurer("alice", Script.honest(3000));

    coord.awaitStatus(s -> s.contains("tor: NO_FLASHFLOW"), "tor NO_FLASHFLOW");
    String status = coord.status();
    assertTrue(status.contains("does not support FlashFlow"), status);
    assertEquals(
        List.of("ERR tor does not support FlashFlow (FF_MEAS missing from events/names)"),
        coord.ctrl("measure " + FP));
    assertTrue(tor.commands().stream().noneMatch(c -> c.startsWith("COORD_START_MEAS")));

    // Bandwidth files from earlier results (in the log at startup: the coordinator reads the log
    // once, then keeps its results in memory) can still be written, with tor's consensus.
    List<String> v3bw = coord.ctrl("v3bw");
    assertTrue(v3bw.get(0).startsWith("OK "), v3bw.toString());
    String line = CoordHappyPathE2ETest.relayLine(Path.of(v3bw.get(0).substring(3)), FP);
    assertTrue(line.contains(" bw=5 ") && line.contains(" nick=relay7 "), line);
    assertEquals(
        List.of(ResultsLogFormat.render(earlier).split("\n")),
        Files.readAllLines(coord.resultsLog(), StandardCharsets.UTF_8));
  }

  @Test
  void shutdownDuringALiveMeasurementRecordsItAndReleasesThePorts() throws Exception {
    start(true);
    coord.startReady();
    TestMeasurer alice = coord.measurer("alice", Script.stopsAfter(0, 3000));
    long id = liveMeasurement();
    InetSocketAddress control = coord.control();
    InetSocketAddress measurers = coord.daemon().measurerAddress();

    coord.daemon().shutdown();

    // Durable by the time shutdown returns: no waiting.
    assertFailed(coord.linesOf(id), FP, "SHUTDOWN");
    alice.awaitClosed(WAIT);
    assertTrue(
        alice.received().stream()
            .anyMatch(
                m -> m instanceof Failure f && f.extraInfo().orElse("").startsWith("SHUTDOWN: ")),
        "alice was told why: " + alice.received());
    try (ServerSocket s = new ServerSocket()) {
      s.bind(control);
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(measurers);
    }
    Await.until(WAIT, () -> tor.connectionCount() == 0, "the tor control connection closed");
  }
}
