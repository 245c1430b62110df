package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ResultsLogFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flashflow report -c coord.ini}: the page from the coordinator's files, no tor. */
class ReportCommandTest {
  private static final String FP = "C3".repeat(20);

  @TempDir Path dir;
  private Path ini;
  private Path datadir;

  @BeforeEach
  void setUp() throws Exception {
    datadir = dir.resolve("data");
    ini = dir.resolve("coord.ini");
    Files.writeString(ini, "[coord]\ndatadir = " + datadir + "\n");
    Files.createDirectories(datadir.resolve("results"));
    long begin = Instant.now().getEpochSecond() - 600;
    MeasurementRecord record =
        new MeasurementRecord(
            7,
            FP,
            begin,
            List.of(
                new MeasurementRecord.Second(List.of(500_000L, 400_000L), 10_000, 300_000),
                new MeasurementRecord.Second(List.of(510_000L, 390_000L), 10_000, 300_000)),
            Optional.empty(),
            OptionalLong.empty());
    Files.writeString(datadir.resolve("results/results.log"), ResultsLogFormat.render(record));
  }

  @Test
  void writesThePageIntoTheDatadirAndPrintsItsPath() throws Exception {
    Run run = Run.of("report", "-c", ini.toString());
    assertEquals(ExitCodes.OK, run.exit(), run.err());
    Path page = Path.of(run.out().strip());
    assertEquals(datadir.resolve("report/index.html"), page);
    String html = Files.readString(page);
    assertTrue(html.contains("<svg id='chart-seconds'"), html);
    assertTrue(html.contains("meas_id 7"), "the newest measurement, second by second");
  }

  @Test
  void writesWhereOutSaysForTheChosenRelay() throws Exception {
    Path out = dir.resolve("elsewhere");
    Run run = Run.of("report", "-c", ini.toString(), "--out", out.toString(), "--relay", FP);
    assertEquals(ExitCodes.OK, run.exit(), run.err());
    assertEquals(out.resolve("index.html"), Path.of(run.out().strip()));
  }

  @Test
  void aMalformedRelayIsAUsageError() {
    Run run = Run.of("report", "-c", ini.toString(), "--relay", "nope");
    assertEquals(ExitCodes.USAGE, run.exit(), run.err());
    assertTrue(run.err().contains("--relay") && run.err().contains("'nope'"), run.err());
  }

  @Test
  void aRelayWithoutAMeasurementIsNamed() {
    String other = "D4".repeat(20);
    Run run = Run.of("report", "-c", ini.toString(), "--relay", other);
    assertEquals(ExitCodes.USER_ERROR, run.exit(), run.err());
    assertTrue(run.err().contains(other + " has no completed measurement"), run.err());
  }
}
