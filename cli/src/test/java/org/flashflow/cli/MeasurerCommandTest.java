package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flashflow.common.tls.KeyGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup failures of {@code flashflow measurer} are user errors that say what to do. */
class MeasurerCommandTest {
  @TempDir Path dir;

  private Path config() throws Exception {
    Path ini = dir.resolve("measurer.ini");
    Files.writeString(
        ini,
        "[measurer]\ndatadir = " + dir.resolve("data") + "\n[tor]\ncontrol_addr = localhost:1\n");
    return ini;
  }

  @Test
  void missingKeyNamesThePathAndKeygen() throws Exception {
    Run r = Run.of("measurer", "-c", config().toString());

    assertEquals(1, r.exit(), r.err());
    String err = r.err();
    assertTrue(err.startsWith("flashflow measurer: measurer key "), err);
    assertTrue(err.contains(dir.resolve("data/keys/measurer.pem").toString()), err);
    assertTrue(err.contains("flashflow keygen NAME --out " + dir.resolve("data/keys")), err);
  }

  @Test
  void missingCoordinatorCertificateNamesThePath() throws Exception {
    KeyGen.generate("alice", dir.resolve("data/keys/measurer.pem"));

    Run r = Run.of("measurer", "-c", config().toString());

    assertEquals(1, r.exit(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "flashflow measurer: coordinator certificate "
                    + dir.resolve("data/keys/coord.pem")
                    + " not found"),
        r.err());
  }

  @Test
  void badCircBuildTimeoutIsAConfigError() throws Exception {
    Path ini = dir.resolve("bad.ini");
    Files.writeString(ini, "[measurer]\ncirc_build_timeout = 0\n");

    Run r = Run.of("measurer", "-c", ini.toString());

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("[measurer] circ_build_timeout"), r.err());
  }
}
