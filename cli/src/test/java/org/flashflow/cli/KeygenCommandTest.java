package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.flashflow.common.tls.Certificates;
import org.flashflow.common.tls.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
  @TempDir Path dir;

  @Test
  void writesNamePemAndPrintsItsPath() throws Exception {
    Path out = dir.resolve("keys");

    Run r = Run.of("keygen", "alice", "--out", out.toString());

    assertEquals(0, r.exit(), r.err());
    Path file = out.resolve("alice.pem");
    assertEquals(file.toAbsolutePath() + "\n", r.out());
    assertEquals("", r.err());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("alice", Certificates.requireOrganization(PemFiles.readCertificates(file).get(0)));
  }

  @Test
  void existingFileIsAUserErrorAndKept() throws Exception {
    Path file = dir.resolve("alice.pem");
    Files.writeString(file, "pinned by everyone");

    Run r = Run.of("keygen", "alice", "--out", dir.toString());

    assertEquals(1, r.exit());
    assertEquals(
        List.of(
            "flashflow keygen: "
                + file.toAbsolutePath()
                + " already exists; not overwriting a key (peers may have pinned it)"),
        r.errLines());
    assertEquals("", r.out());
    assertEquals("pinned by everyone", Files.readString(file));
  }

  @Test
  void badNameIsAUserError() {
    Run r = Run.of("keygen", "../alice", "--out", dir.toString());

    assertEquals(1, r.exit());
    assertEquals(List.of("flashflow keygen: name must not contain '/'"), r.errLines());
    assertTrue(Files.notExists(dir.resolve("alice.pem")));
  }

  @Test
  void outThatIsAFileIsAUserError() throws Exception {
    Path notDir = dir.resolve("plain");
    Files.writeString(notDir, "");

    Run r = Run.of("keygen", "alice", "--out", notDir.toString());

    assertEquals(1, r.exit());
    assertEquals(List.of("flashflow keygen: " + notDir + " is not a directory"), r.errLines());
  }

  @Test
  void missingNameIsAUsageError() {
    Run r = Run.of("keygen");

    assertEquals(2, r.exit());
    assertEquals(
        List.of(
            "flashflow keygen: Missing required parameter: 'NAME'",
            "Try 'flashflow keygen --help' for more information."),
        r.errLines());
  }
}
