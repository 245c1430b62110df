package org.flashflow.common.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeCreatesFileWithExactPermissionsAndNoLeftovers() throws IOException {
    Path f = dir.resolve("state");
    AtomicFiles.writeAtomically(
        f, "one\n".getBytes(UTF_8), PosixFilePermissions.fromString("rw-------"));
    assertArrayEquals("one\n".getBytes(UTF_8), Files.readAllBytes(f));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(List.of("state"), names());
  }

  @Test
  void writeReplacesExistingContent() throws IOException {
    Path f = dir.resolve("state");
    Files.writeString(f, "a much longer old content\n");
    AtomicFiles.writeAtomically(
        f, "new\n".getBytes(UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("new\n", Files.readString(f));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(List.of("state"), names());
  }

  @Test
  void writeIntoMissingDirectoryFailsWithoutLeftovers() {
    Path f = dir.resolve("missing").resolve("state");
    assertThrows(
        NoSuchFileException.class,
        () ->
            AtomicFiles.writeAtomically(
                f, new byte[1], PosixFilePermissions.fromString("rw-------")));
  }

  @Test
  void symlinkIsCreatedThenRepointed() throws IOException {
    Files.writeString(dir.resolve("v3bw.1"), "first\n");
    Files.writeString(dir.resolve("v3bw.2"), "second\n");
    Path link = dir.resolve("v3bw");

    AtomicFiles.replaceSymlink(link, Paths.get("v3bw.1"));
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("first\n", Files.readString(link));

    AtomicFiles.replaceSymlink(link, Paths.get("v3bw.2"));
    assertEquals(Paths.get("v3bw.2"), Files.readSymbolicLink(link));
    assertEquals("second\n", Files.readString(link));
    assertEquals(List.of("v3bw", "v3bw.1", "v3bw.2"), names());
  }

  @Test
  void symlinkReplacesRegularFile() throws IOException {
    Files.writeString(dir.resolve("target"), "t\n");
    Path link = dir.resolve("v3bw");
    Files.writeString(link, "an operator's old file\n");
    AtomicFiles.replaceSymlink(link, Paths.get("target"));
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("t\n", Files.readString(link));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void leftoversOfInterruptedWritesAreRemovedOnlyWhenOld() throws IOException {
    Instant now = Instant.parse("2030-01-01T00:10:00Z");
    FileTime old = FileTime.from(now.minusSeconds(120));
    FileTime fresh = FileTime.from(now.minusSeconds(5));
    // What createTempFile and the symlink writer leave, old enough to be leftovers:
    Path leftFile = Files.createTempFile(dir, ".state.json.", ".tmp");
    Path leftV3bw = dir.resolve(".v3bw.20300101T000000Z.6f3a9c.tmp");
    Files.writeString(leftV3bw, "half a bandwidth file", UTF_8);
    // A write under way, and files that merely look similar:
    Path underWay = Files.createTempFile(dir, ".v3bw.", ".tmp");
    List<String> keep =
        List.of("state.json", ".hidden", "x.tmp", ".tmp", ".a.tmp", ".v3bw.xyz.tmp", "..1.tmp");
    for (String n : keep) {
      Files.writeString(dir.resolve(n), "mine", UTF_8);
      Files.setLastModifiedTime(dir.resolve(n), old);
    }
    Files.setLastModifiedTime(leftFile, old);
    Files.setLastModifiedTime(leftV3bw, old);
    Files.setLastModifiedTime(underWay, fresh);

    assertEquals(2, AtomicFiles.removeLeftovers(dir, Duration.ofMinutes(1), now));

    List<String> expected = new ArrayList<>(keep);
    expected.add(underWay.getFileName().toString());
    Collections.sort(expected);
    assertEquals(expected, names());
    assertEquals(0, AtomicFiles.removeLeftovers(dir.resolve("missing"), Duration.ZERO, now));
  }
}
