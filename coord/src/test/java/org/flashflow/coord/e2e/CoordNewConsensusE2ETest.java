package org.flashflow.coord.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Behaviour;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Relay;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule hears of a new consensus from tor's NEWCONSENSUS event, through the whole chain
 * (jtorctl's reader, the session's subscription, the daemon's wiring, the runner): a relay that
 * appears is measured in one of the next slots, with the poll an hour away.
 */
class CoordNewConsensusE2ETest {
  static final String FIRST = "AB".repeat(20);
  static final String LATER = "CD".repeat(20);

  @TempDir Path dir;
  private CoordFixture coord;

  @AfterEach
  void tearDown() throws Exception {
    coord.close();
  }

  @Test
  void aRelayAnnouncedByTorIsMeasuredWithoutWaitingForThePoll() throws Exception {
    FakeFlashFlowTor tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(new Relay("first", FIRST, 100_000, 100_000), Behaviour.HONEST);
    coord =
        new CoordFixture(dir)
            .attach(tor)
            .set("schedule", "enabled", "true")
            .set("schedule", "slot", "2 s")
            .set("schedule", "consensus_poll", "1 h")
            .set("measurers", "alice", "100 MB/s");
    coord.trustedMeasurerKey("alice");
    coord.startReady();
    coord.measurer("alice", Script.honest(1_000_000));
    coord.awaitStatus(
        s -> s.contains("schedule relays: 1 measured, 0 failed, 0 pending"), "the first relay");

    tor.addRelay(new Relay("later", LATER, 100_000, 100_000), Behaviour.HONEST);
    tor.announceConsensus();

    coord.awaitStatus(
        s -> s.contains("schedule relays: 2 measured, 0 failed, 0 pending"),
        "the relay announced by NEWCONSENSUS measured");
    List<String> begins = coord.results().stream().filter(l -> l.contains(" BEGIN ")).toList();
    assertTrue(begins.get(1).endsWith(" BEGIN " + LATER), begins.toString());
  }
}
