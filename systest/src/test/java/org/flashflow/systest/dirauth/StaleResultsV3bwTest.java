package org.flashflow.systest.dirauth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.flashflow.common.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tor ignores a bandwidth file whose line 1 is more than 3 days old, so {@code flashflow v3bw}
 * never writes one: with only older results (still within {@code max_results_age}, 7 days) it exits
 * 1 with one clear line and leaves no file. tor's own parser, on either side of the line, shows
 * that the 3 days are tor's.
 */
class StaleResultsV3bwTest {
  private static final String FP = "A1B2C3D4E5".repeat(4);
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;

  @Test
  void onlyResultsOlderThanThreeDaysGiveNoFileAndOneClearLine() throws Exception {
    long begin = Instant.now().minus(Duration.ofDays(3)).minus(HOUR).getEpochSecond();
    V3bwRun v3bw = new V3bwRun(dir);
    v3bw.measured(FP, begin, 5000);
    v3bw.save(List.of());

    Exec.Result r = v3bw.run();

    assertEquals(1, r.exit(), r.describe());
    assertEquals("", r.out(), r.describe());
    String iso =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochSecond(begin));
    assertTrue(
        r.err()
            .lines()
            .anyMatch(
                l ->
                    l.equals(
                        "flashflow v3bw: no bandwidth file written: newest result is from "
                            + iso
                            + ", older than 3 days; tor would ignore the file")),
        r.describe());
    assertEquals(List.of("results.log"), v3bw.resultsDirNames(), "no file, no link");
    assertFalse(Files.exists(v3bw.link, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void justInsideThreeDaysIsWrittenAndTorAgreesOnBothSides() throws Exception {
    long begin = Instant.now().minus(Duration.ofDays(3)).plus(HOUR).getEpochSecond();
    V3bwRun v3bw = new V3bwRun(dir);
    long bw = v3bw.measured(FP, begin, 5000);
    v3bw.save(List.of());

    Exec.Result r = v3bw.run();

    assertEquals(0, r.exit(), r.describe());
    V3bwRun.Parsed parsed = V3bwRun.Parsed.read(v3bw.link);
    assertEquals(begin, parsed.timestamp());
    assertEquals(bw, parsed.bw(FP));

    ExternalTools.require(Exec.onPath("tor"), "tor (Debian package tor) on PATH");
    assertEquals(
        List.of(),
        TorVerify.bandwidthWarnings(v3bw.link, dir),
        "tor reads the file with line 1 at 3 days minus 1 hour");
    // The same file with line 1 two hours older, as if written from results 3 days + 1 h old.
    Path older = dir.resolve("older.v3bw");
    String text = Files.readString(v3bw.link, UTF_8);
    long olderTs = begin - 2 * HOUR.getSeconds();
    Files.writeString(older, olderTs + text.substring(text.indexOf('\n')), UTF_8);
    List<String> warnings = TorVerify.bandwidthWarnings(older, dir);
    assertTrue(
        warnings.stream().anyMatch(l -> l.contains("Bandwidth measurement file stale")),
        "tor ignores the file at 3 days plus 1 hour: " + warnings);
  }
}
