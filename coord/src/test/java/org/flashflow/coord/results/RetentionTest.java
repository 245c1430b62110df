package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-26T13:29:00Z");
  private static final Path DIR = Path.of("/r");
  private static final RetentionPolicy POLICY = RetentionPolicy.DEFAULT;

  private static List<Retention.FileEntry> file(String name, Duration age) {
    return List.of(new Retention.FileEntry(DIR.resolve(name), NOW.minus(age)));
  }

  private static String decide(List<Retention.Action> actions) {
    if (actions.isEmpty()) {
      return "keep";
    }
    assertEquals(1, actions.size(), actions::toString);
    return actions.get(0) instanceof Retention.Compress ? "compress" : "delete";
  }

  @ParameterizedTest(name = "{0}, {1} h old: {2}")
  @CsvSource({
    // Rotated results logs: 29 days to compress, 57 to delete.
    "results.log.1, 0, keep",
    "results.log.1, 695, keep", // 28 days 23 h
    "results.log.1, 696, compress", // 29 days
    "results.log.12, 1000, compress",
    "results.log.3.gz, 1000, keep",
    "results.log.1, 1367, compress",
    "results.log.1, 1368, delete", // 57 days
    "results.log.2.gz, 1368, delete",
    // Never the live log, whatever its age; never other names.
    "results.log, 100000, keep",
    "results.log-20261001, 100000, keep",
    "results.log.1.tmp, 100000, keep",
    "results.log.x, 100000, keep",
    "results.log.gz, 100000, keep",
    ".results.log.1.gz.123.tmp, 100000, keep",
    "results.log.1234567890, 100000, keep",
    "notes.txt, 100000, keep",
    // A file from the future (clock step) is young.
    "results.log.1, -5, keep",
  })
  void results(String name, long ageHours, String expected) {
    assertEquals(
        expected,
        decide(
            Retention.results(file(name, Duration.ofHours(ageHours)), "results.log", NOW, POLICY)));
  }

  @ParameterizedTest(name = "{0}, {1} h old: {2}")
  @CsvSource({
    // Bandwidth files: 1 day to compress, 7 to delete.
    "v3bw.20261126T122900Z, 1, keep",
    "v3bw.20261125T132900Z, 23, keep",
    "v3bw.20261125T132900Z, 24, compress",
    "v3bw.20261120T132900Z, 167, compress",
    "v3bw.20261119T132900Z, 168, delete",
    "v3bw.20261119T132900Z.gz, 168, delete",
    "v3bw.20261122T132900Z.gz, 100, keep",
    // The file the symlink points to is never touched, however old.
    "v3bw.20200101T000000Z, 100000, keep",
    // Nor the link, temporary files or other names.
    "v3bw, 100000, keep",
    ".v3bw.20261119T132900Z.tmp, 100000, keep",
    "v3bw.20261119T132900Z.tmp, 100000, keep",
    "v3bw.2026-11-19, 100000, keep",
    "v3bw.1, 100000, keep",
  })
  void v3bw(String name, long ageHours, String expected) {
    assertEquals(
        expected,
        decide(
            Retention.v3bw(
                file(name, Duration.ofHours(ageHours)),
                "v3bw",
                Optional.of("v3bw.20200101T000000Z"),
                NOW,
                POLICY)));
  }

  @Test
  void anExistingGzBlocksCompressionButNotDeletion() {
    List<Retention.FileEntry> files =
        List.of(
            new Retention.FileEntry(DIR.resolve("results.log.1"), NOW.minus(Duration.ofDays(30))),
            new Retention.FileEntry(
                DIR.resolve("results.log.1.gz"), NOW.minus(Duration.ofDays(30))),
            new Retention.FileEntry(DIR.resolve("results.log.2"), NOW.minus(Duration.ofDays(60))),
            new Retention.FileEntry(
                DIR.resolve("results.log.2.gz"), NOW.minus(Duration.ofDays(60))));
    assertEquals(
        List.of(
            new Retention.Delete(DIR.resolve("results.log.2")),
            new Retention.Delete(DIR.resolve("results.log.2.gz"))),
        Retention.results(files, "results.log", NOW, POLICY));
  }

  @Test
  void policyNeedsDeleteAfterLongerThanCompressAfter() {
    Duration day = Duration.ofDays(1);
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetentionPolicy(day, day, day, day.multipliedBy(2)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetentionPolicy(day, day.multipliedBy(2), day.multipliedBy(2), day));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetentionPolicy(Duration.ZERO, day, day, day.multipliedBy(2)));
  }
}
