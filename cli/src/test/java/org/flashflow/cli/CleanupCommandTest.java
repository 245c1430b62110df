package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flashflow cleanup -c coord.ini}: retention by hand, as the coordinator does daily. */
class CleanupCommandTest {
  @TempDir Path dir;
  private Path ini;
  private Path results;

  @BeforeEach
  void setUp() throws Exception {
    results = dir.resolve("data/results");
    Files.createDirectories(results);
    ini = dir.resolve("coord.ini");
    Files.writeString(
        ini,
        "[coord]\ndatadir = "
            + dir.resolve("data")
            // Both kinds of file in one directory, as older configs had them.
            + "\n[v3bw]\nv3bw = ${coord:resultsdir}/v3bw"
            + "\n[cleanup]\nresults_compress_after = 10 days\nresults_delete_after = 20 days\n");
    file("results.log", Duration.ofDays(100));
    file("results.log.1", Duration.ofDays(11));
    file("results.log.2.gz", Duration.ofDays(21));
    file("v3bw.20260101T000000Z", Duration.ofDays(30));
    Files.createSymbolicLink(results.resolve("v3bw"), Path.of("v3bw.20260101T000000Z"));
    file("v3bw.20251201T000000Z", Duration.ofDays(60));
    file("v3bw.20251230T000000Z", Duration.ofDays(2));
  }

  private void file(String name, Duration age) throws Exception {
    Path p = results.resolve(name);
    Files.writeString(p, name + "\n");
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(results)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void dryRunPrintsThePlanAndChangesNothing() throws Exception {
    List<String> before = names();
    Run r = Run.of("cleanup", "-c", ini.toString(), "--dry-run");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        List.of(
            "compress " + results.resolve("results.log.1"),
            "delete " + results.resolve("results.log.2.gz"),
            "delete " + results.resolve("v3bw.20251201T000000Z"),
            "compress " + results.resolve("v3bw.20251230T000000Z"),
            "4 files would be acted on (dry run)"),
        sortedActions(r.out()));
    assertEquals(before, names());
  }

  @Test
  void compressesAndDeletesAsConfigured() throws Exception {
    Run r = Run.of("cleanup", "-c", ini.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().endsWith("2 compressed, 2 deleted, 0 failed\n"), r.out());
    assertEquals(
        List.of(
            "results.log",
            "results.log.1.gz",
            "v3bw",
            "v3bw.20251230T000000Z.gz",
            "v3bw.20260101T000000Z"),
        names());
    assertEquals("v3bw.20260101T000000Z\n", Files.readString(results.resolve("v3bw")));

    Run again = Run.of("cleanup", "-c", ini.toString());
    assertEquals("0 compressed, 0 deleted, 0 failed\n", again.out());
  }

  @Test
  void deleteNotAfterCompressIsAConfigError() throws Exception {
    Files.writeString(
        ini,
        "[coord]\ndatadir = " + dir.resolve("data") + "\n[cleanup]\nv3bw_delete_after = 1 day\n");
    Run r = Run.of("cleanup", "-c", ini.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("[cleanup] v3bw_delete_after"), r.err());
  }

  /** The action lines sorted (directory order is arbitrary), the summary line last. */
  private static List<String> sortedActions(String out) {
    List<String> lines = out.lines().toList();
    List<String> actions =
        lines.subList(0, lines.size() - 1).stream()
            .sorted((a, b) -> a.substring(a.indexOf(' ')).compareTo(b.substring(b.indexOf(' '))))
            .toList();
    return Stream.concat(actions.stream(), Stream.of(lines.get(lines.size() - 1))).toList();
  }
}
