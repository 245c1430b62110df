package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.v3bw.BandwidthFileTest;
import org.flashflow.coord.v3bw.V3bwGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results log as the original Python FlashFlow coordinator writes it ({@code
 * python-coordinator.log}, written by hand in its exact shape): at the end of a measurement, BEGIN,
 * then every MEASR line of the first measurer, then those of the second, then all the BG lines
 * ({@code BG <claimed> <max_bg>}, {@code max_bg = int(0.25 * measured / 0.75)}), then END with the
 * time of the last background report ({@code begin_ts + 9}, not {@code + 10} as ours); the
 * fingerprint in lower case. A relay of about 2.5 MB/s measured for 10 s by two measurers (about
 * 1.1 MB/s each), claiming about 250 kB/s of background traffic, once 900 kB/s (capped at 749,xxx).
 * A reader that took a BG line as the end of a second put all 20 MEASR lines into second 0 and
 * voted the background claims alone: bw=257 instead of 2499.
 */
class PythonCoordinatorLogTest {
  private static final String FP = "5F0C3A9E41B7D2886C1E0A4F93D7B5E2C8A61F04";
  private static final long BEGIN = 1_795_696_140L;

  @TempDir Path dir;

  private Path log() throws IOException {
    Path log = dir.resolve("results.log");
    try (InputStream in = getClass().getResourceAsStream("python-coordinator.log")) {
      Files.copy(in, log);
    }
    return log;
  }

  @Test
  void secondsComeFromTimestampsNotLineOrder() throws IOException {
    List<MeasurementRecord> records = new ArrayList<>();
    ReadStats stats = new ResultsLogReader(log()).read(records::add);

    assertEquals(1, records.size(), stats.toString());
    assertEquals(0, stats.skipped() + stats.orphans() + stats.incomplete(), stats.toString());
    MeasurementRecord r = records.get(0);
    assertEquals(2_840_199_733L, r.measId());
    assertEquals(FP, r.relayFp());
    assertEquals(BEGIN, r.beginTs());
    assertEquals(10, r.seconds().size());
    assertEquals(
        new MeasurementRecord.Second(List.of(1_104_211L, 1_139_402L), 251_307, 747_871),
        r.seconds().get(0));
    assertEquals(
        new MeasurementRecord.Second(List.of(1_131_020L, 1_117_561L), 900_000, 749_527),
        r.seconds().get(3));
    assertEquals(
        new MeasurementRecord.Second(List.of(1_112_760L, 1_133_507L), 260_592, 748_755),
        r.seconds().get(9));
    // Sorted totals: 2489920 2494218 2494259 2494920 2496077 | 2502633 ... 2998108 (capped).
    assertEquals((2_496_077 + 2_502_633) / 2.0, Estimate.estimate(r));
  }

  @Test
  void bandwidthFileHasTheRelayAtTwoAndAHalfMegabytesPerSecond() throws Exception {
    V3bwGenerator generator =
        new V3bwGenerator(
            log(),
            dir.resolve("v3bw"),
            Duration.ofDays(7),
            BandwidthFileTest.STARTED,
            "0.1.0",
            Clock.fixed(BandwidthFileTest.NOW, ZoneOffset.UTC));

    String file = Files.readString(generator.generate(List.of()));

    List<String> relays = file.lines().filter(l -> l.startsWith("node_id=")).toList();
    assertEquals(1, relays.size(), file);
    String line = relays.get(0);
    assertTrue(line.startsWith("node_id=$" + FP + " bw=2499 "), line);
    assertTrue(line.contains(" measured_at=" + BEGIN + " "), line);
    assertTrue(line.contains(" meas_id=2840199733 "), line);
    assertTrue(line.contains(" flashflow_estimate=2499355 "), line);
  }
}
