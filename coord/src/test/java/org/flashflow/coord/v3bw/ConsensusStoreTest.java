package org.flashflow.coord.v3bw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.flashflow.torctl.model.RouterStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsensusStoreTest {
  @TempDir Path dir;

  @Test
  void savesAndLoadsBack() throws IOException {
    List<RouterStatus> relays =
        List.of(
            BandwidthFileTest.relay(BandwidthFileTest.FP_A, "alpha"),
            new RouterStatus(
                "beta",
                "0123456789ABCDEF0123456789ABCDEF01234567",
                Instant.parse("2026-01-02T03:04:05Z"),
                "10.0.0.2",
                443,
                80,
                Set.of(),
                77,
                OptionalLong.of(66)));
    ConsensusStore store = new ConsensusStore(dir.resolve("data"));
    store.save(relays, BandwidthFileTest.NOW);
    assertEquals(relays, store.load());
    assertEquals(
        "# flashflow: the coordinator's consensus, saved 2026-11-26 13:29:00 UTC\n"
            + "r alpha qqqqqqqqqqqqqqqqqqqqqqqqqqo 2026-11-26 12:00:00 127.0.0.1 9001 0\n"
            + "s Fast Running Valid\n"
            + "w Bandwidth=1000\n"
            + "r beta ASNFZ4mrze8BI0VniavN7wEjRWc 2026-01-02 03:04:05 10.0.0.2 443 80\n"
            + "s\n"
            + "w Bandwidth=77 Measured=66\n",
        Files.readString(store.file()));
  }

  @Test
  void missingFileLoadsEmpty() throws IOException {
    assertEquals(List.of(), new ConsensusStore(dir).load());
  }

  @Test
  void corruptFileIsAnError() throws IOException {
    Files.writeString(dir.resolve(ConsensusStore.FILE_NAME), "r broken\n");
    assertThrows(IOException.class, () -> new ConsensusStore(dir).load());
  }
}
