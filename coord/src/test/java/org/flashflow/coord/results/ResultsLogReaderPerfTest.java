package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the reader takes for a log of about 7 million lines (a week of a large deployment:
 * 30-second measurements with 3 measurers). Writes ~270 MB to a temp dir, so it only runs with
 * {@code -Dflashflow.perf=true}; it prints the time and fails above 3 s.
 */
class ResultsLogReaderPerfTest {
  @TempDir Path dir;

  @Test
  void streamsSevenMillionLinesQuickly() throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("flashflow.perf"), "set -Dflashflow.perf=true");
    Path log = dir.resolve("results.log");
    int measurements = 7_000_000 / 122; // BEGIN + 30 * (3 MEASR + BG) + END = 122 lines each
    try (OutputStream out = Files.newOutputStream(log)) {
      StringBuilder sb = new StringBuilder();
      for (int m = 0; m < measurements; m++) {
        String fp = String.format(Locale.ROOT, "%040X", m % 9000);
        List<MeasurementRecord.Second> seconds = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          long base = 10_000_000L + m + i;
          seconds.add(
              Estimate.second(List.of(base, base + 1, base + 2), base / 10, base / 9, 0.25));
        }
        ResultsLogFormat.appendTo(
            sb,
            new MeasurementRecord(m + 1L, fp, 1_700_000_000L + 40L * m, seconds, Optional.empty()));
        if (sb.length() > 1 << 20) {
          out.write(sb.toString().getBytes(UTF_8));
          sb.setLength(0);
        }
      }
      out.write(sb.toString().getBytes(UTF_8));
    }
    ResultsLogReader reader = new ResultsLogReader(log);
    Instant now = Instant.ofEpochSecond(1_700_000_000L + 40L * measurements);
    long best = Long.MAX_VALUE;
    LatestResults latest = null;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      latest = reader.latest(now, Duration.ofDays(365));
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf(
        Locale.ROOT,
        "read %d MB, %d measurements in %d ms (best of 3)%n",
        Files.size(log) >> 20,
        measurements,
        best / 1_000_000);
    assertEquals(9000, latest.size());
    assertTrue(best < 3_000_000_000L, "took " + best / 1_000_000 + " ms");
  }
}
