package org.flashflow.coord.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator launches Debian's stock tor (no FlashFlow, DisableNetwork 1), authenticates with
 * its cookie, says that tor cannot measure, refuses measurements, and stops tor when it stops.
 * Skipped where tor is not installed, but failed when FLASHFLOW_REQUIRE_TOOLS=1 (CI).
 */
class CoordStockTorE2ETest {
  @TempDir Path dir;

  private static boolean torOnPath() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "tor"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void launchedStockTorIsReportedWithoutFlashFlowAndStoppedAtShutdown() throws Exception {
    ExternalTools.require(torOnPath(), "tor (Debian package tor) on PATH");
    Path pidFile = dir.resolve("coord/tor/tor.pid");
    long pid;
    try (CoordFixture coord = new CoordFixture(dir)) {
      // No control_addr: launch mode. The indented line continues the value.
      coord.set("tor", "torrc_extra_lines", "\n    DisableNetwork 1");
      coord.trustedMeasurerKey("alice");
      coord.start();

      coord.awaitStatus(
          Duration.ofSeconds(60), s -> s.contains("tor: NO_FLASHFLOW"), "stock tor NO_FLASHFLOW");
      String status = coord.status();
      assertTrue(status.contains("does not support FlashFlow"), status);
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
      assertTrue(status.contains("launched tor (pid " + pid + ")"), status);
      assertTrue(
          Files.readAllLines(dir.resolve("coord/tor/torrc")).contains("DisableNetwork 1"),
          "torrc has the extra line");

      coord.measurer("alice", Script.honest(1000));
      assertEquals(
          List.of("ERR tor does not support FlashFlow (FF_MEAS missing from events/names)"),
          coord.ctrl("measure " + "AB".repeat(20)));
      assertEquals(List.of("ERR no measurement results to vote on"), coord.ctrl("v3bw"));

      coord.daemon().shutdown();
      Await.until(
          Duration.ofSeconds(15),
          () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
          "tor pid " + pid + " to exit");
    }
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }
}
