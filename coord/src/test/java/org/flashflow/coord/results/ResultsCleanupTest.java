package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCleanupTest {
  private static final Instant NOW = Instant.parse("2026-11-26T13:29:00Z");
  private static final String FP = ResultsLogFormatTest.FP;

  @TempDir Path dir;

  private Path file(String name, String content, Duration age) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
    return p;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private ResultsCleanup cleanup() {
    return new ResultsCleanup(
        dir.resolve("results.log"), dir.resolve("v3bw"), RetentionPolicy.DEFAULT);
  }

  @Test
  void compressesAndDeletesByAgeAndNeverTouchesTheLiveFiles() throws Exception {
    String r1 = ResultsLogReaderTest.text(ResultsLogReaderTest.done(1, FP, 1_700_000_000L, 10));
    String r2 = ResultsLogReaderTest.text(ResultsLogReaderTest.done(2, FP, 1_700_000_100L, 20));
    String live = ResultsLogReaderTest.text(ResultsLogReaderTest.done(3, FP, 1_700_000_200L, 30));
    file("results.log", live, Duration.ofDays(400));
    file("results.log.1", r2, Duration.ofDays(2));
    Path old = file("results.log.2", r1, Duration.ofDays(30));
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-------"));
    file("results.log.3.gz", "x", Duration.ofDays(58));
    file("v3bw.20261126T122900Z", "newest", Duration.ofHours(1));
    file("v3bw.20261124T122900Z", "two days", Duration.ofDays(2));
    file("v3bw.20261110T122900Z", "old", Duration.ofDays(16));
    // The symlink points at an old file (no newer one was written): it stays as it is.
    file("v3bw.20261101T122900Z", "current", Duration.ofDays(25));
    Files.createSymbolicLink(dir.resolve("v3bw"), Path.of("v3bw.20261101T122900Z"));
    file("notes.txt", "mine", Duration.ofDays(400));

    ResultsCleanup.Report report = cleanup().run(NOW);

    assertEquals(new ResultsCleanup.Report(2, 2, 0), report);
    assertEquals(
        List.of(
            "notes.txt",
            "results.log",
            "results.log.1",
            "results.log.2.gz",
            "v3bw",
            "v3bw.20261101T122900Z",
            "v3bw.20261124T122900Z.gz",
            "v3bw.20261126T122900Z"),
        names());
    Path gz = dir.resolve("results.log.2.gz");
    assertEquals(r1, gunzip(gz));
    assertEquals(NOW.minus(Duration.ofDays(30)), Files.getLastModifiedTime(gz).toInstant());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(gz)));
    assertEquals("two days", gunzip(dir.resolve("v3bw.20261124T122900Z.gz")));
    assertEquals("current", Files.readString(dir.resolve("v3bw")));
    assertEquals(live, Files.readString(dir.resolve("results.log")));

    // The reader still sees every record left: the live log, .1 and the new .2.gz.
    List<MeasurementRecord> read = new ArrayList<>();
    new ResultsLogReader(dir.resolve("results.log")).read(read::add);
    assertEquals(List.of(1L, 2L, 3L), read.stream().map(MeasurementRecord::measId).toList());

    // Nothing more to do at the same time; the compressed copy keeps the original's age, so it is
    // deleted 57 days after its data was written, not after it was compressed.
    assertEquals(new ResultsCleanup.Report(0, 0, 0), cleanup().run(NOW));
    assertTrue(cleanup().plan(NOW.plus(Duration.ofDays(27))).contains(new Retention.Delete(gz)));
    assertFalse(cleanup().plan(NOW.plus(Duration.ofDays(26))).contains(new Retention.Delete(gz)));
  }

  @Test
  void aCompressedCopyAlreadyThereIsLeftForTheOperator() throws Exception {
    file("results.log.1", "a\n", Duration.ofDays(30));
    file("results.log.1.gz", "b", Duration.ofDays(30));
    assertEquals(List.of(), cleanup().plan(NOW));
    assertEquals(new ResultsCleanup.Report(0, 0, 0), cleanup().run(NOW));
    assertEquals(List.of("results.log.1", "results.log.1.gz"), names());
  }

  @Test
  void missingDirectoriesAreNothingToDo() throws Exception {
    ResultsCleanup c =
        new ResultsCleanup(
            dir.resolve("none/results.log"), dir.resolve("none/v3bw"), RetentionPolicy.DEFAULT);
    assertEquals(new ResultsCleanup.Report(0, 0, 0), c.run(NOW));
  }

  private static String gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
