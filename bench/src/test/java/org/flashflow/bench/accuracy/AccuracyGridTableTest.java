package org.flashflow.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heatmap of a saved run is drawn again from its whole-grid table. */
class AccuracyGridTableTest {
  @TempDir Path dir;

  private static final String HEADER =
      "| rtt ms | Mbit/s | background | num_circs | window bound Mbit/s | honest | within 5%"
          + " | within 10% | median error | worst error | largest liar ratio | failed | passes |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

  @Test
  void theWholeGridTableIsReadNotThePhaseTables() throws IOException {
    Path out = dir.resolve("grid.log");
    Files.writeString(
        out,
        "num_circs 10: ...\n"
            + HEADER
            + "| 10 | 1 | steady | 10 | 4112 | 3 | 0% | 0% | +9.0% | +9.0% | 1.300 | 0 | NO |\n"
            + "\n=== The whole grid ===\n\n"
            + HEADER
            + "| 10 | 1 | steady | 10 | 4112 | 3 | 100% | 100% | +0.0% | -0.4% | 1.330 | 0 | yes |\n"
            + "| 300 | 500 | bursty | 160 | 2193 | 3 | 67% | 100% | -4.0% | -6.1% | 1.420 | 0 | NO"
            + " |\n"
            + "\n| rtt ms | Mbit/s | background | smallest num_circs that passes | ... |\n"
            + "| 10 | 1 | steady | 10 | 0.0 |\n",
        StandardCharsets.UTF_8);
    Map<AccuracyGrid.Key, AccuracyGrid.CellSummary> cells = AccuracyGrid.readTable(out);
    assertEquals(2, cells.size(), cells.toString());
    AccuracyGrid.CellSummary a = cells.get(new AccuracyGrid.Key(10, 1, "steady", 10));
    assertEquals(1.0, a.share5(), 1e-9);
    assertTrue(a.liarOk());
    AccuracyGrid.CellSummary b = cells.get(new AccuracyGrid.Key(300, 500, "bursty", 160));
    assertEquals(0.67, b.share5(), 1e-9);
    assertEquals(1.0, b.share10(), 1e-9);
    assertEquals(1.42, b.liarMax(), 1e-9);
    assertFalse(b.liarOk(), "1.42 is above 1.333 x 1.02");
  }

  @Test
  void anOutputWithoutTheWholeGridIsRefused() throws IOException {
    Path out = dir.resolve("grid.log");
    Files.writeString(out, "num_circs 10: ...\n" + HEADER, StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> AccuracyGrid.readTable(out));
  }
}
