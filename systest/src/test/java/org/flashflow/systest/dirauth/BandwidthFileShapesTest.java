package org.flashflow.systest.dirauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.torctl.model.RouterStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every shape of file {@code flashflow v3bw} writes, read by Debian's python3-stem (it must parse
 * it and list exactly our relays with our values) and by tor's own parser ({@code tor
 * --verify-config} on an authority torrc naming it: no warning about the file).
 */
class BandwidthFileShapesTest {
  /** What the coordinator's datadir holds. */
  enum Shape {
    /** Measured relays, consensus relays without a result, and a measured relay gone from it. */
    CONSENSUS_WITH_UNMEASURED(6, 4, 1),
    /** No saved consensus (the offline command before any coordinator ran): measured only. */
    NO_SAVED_CONSENSUS(0, 3, 0),
    /** A network's worth: 1500 relays in the consensus, 900 measured. */
    LARGE(1500, 900, 0);

    final int consensusRelays;
    final int measuredInConsensus;
    final int measuredNotInConsensus;

    Shape(int consensusRelays, int measuredInConsensus, int measuredNotInConsensus) {
      this.consensusRelays = consensusRelays;
      this.measuredInConsensus = measuredInConsensus;
      this.measuredNotInConsensus = measuredNotInConsensus;
    }
  }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Shape.class)
  void stemAndTorReadEveryShapeWeWrite(Shape shape) throws Exception {
    ExternalTools.require(Stem.available(), "python3-stem (/usr/bin/python3 -c 'import stem')");
    V3bwRun v3bw = new V3bwRun(dir);
    long now = Instant.now().getEpochSecond();
    List<RouterStatus> consensus = new ArrayList<>();
    for (int i = 0; i < shape.consensusRelays; i++) {
      consensus.add(relay(i));
    }
    int measured = 0;
    for (int i = 0; i < shape.measuredInConsensus; i++, measured++) {
      v3bw.measured(fingerprint(i), now - 3600 + i, 100 + 37L * i);
    }
    for (int i = 0; i < shape.measuredNotInConsensus; i++, measured++) {
      v3bw.measured(fingerprint(100_000 + i), now - 7200, 42);
    }
    v3bw.save(consensus);

    Exec.Result r = v3bw.run();

    assertEquals(0, r.exit(), r.describe());
    V3bwRun.Parsed parsed = V3bwRun.Parsed.read(v3bw.link);
    int expectedLines =
        shape.consensusRelays == 0
            ? measured
            : shape.consensusRelays + shape.measuredNotInConsensus;
    assertEquals(expectedLines, parsed.relays().size(), "relay lines");
    assertEquals(Stem.expected(parsed), Stem.read(v3bw.link), "what python3-stem reads");

    ExternalTools.require(Exec.onPath("tor"), "tor (Debian package tor) on PATH");
    assertEquals(List.of(), TorVerify.bandwidthWarnings(v3bw.link, dir), "tor's warnings");
  }

  private static RouterStatus relay(int i) {
    return new RouterStatus(
        "relay" + i,
        fingerprint(i),
        Instant.parse("2026-11-26T12:00:00Z"),
        "127.0.0.1",
        9001,
        0,
        Set.of("Fast", "Running", "Valid"),
        1000 + i,
        OptionalLong.empty());
  }

  private static String fingerprint(int i) {
    byte[] b = new byte[20];
    for (int k = 0; k < 20; k++) {
      b[k] = (byte) ((i >>> (8 * (k % 4))) * 31 + k);
    }
    return HexFormat.of().withUpperCase().formatHex(b);
  }
}
