package org.flashflow.coord.v3bw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.flashflow.torctl.model.ServerDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorStoreTest {
  private static final String A = BandwidthFileContentTest.A;
  private static final String B = BandwidthFileContentTest.B;

  @TempDir Path dir;

  private static ServerDescriptor at(String fp, String published, long avg) {
    ServerDescriptor d = BandwidthFileContentTest.desc(fp, "n" + fp.charAt(0), avg, 2 * avg, 7);
    return new ServerDescriptor(
        d.nickname(),
        fp,
        "10.0.0.1",
        443,
        Instant.parse(published),
        fp.equals(A) ? d.masterKeyEd25519() : Optional.empty(),
        avg,
        2 * avg,
        7);
  }

  @Test
  void missingFileIsNone() throws Exception {
    assertEquals(DescriptorStore.Saved.NONE, new DescriptorStore(dir).load());
  }

  @Test
  void roundTripKeepsEveryFieldAndTorVersionInAGreppableFile() throws Exception {
    DescriptorStore store = new DescriptorStore(dir.resolve("data"));
    ServerDescriptor a = at(A, "2026-11-26T11:00:00Z", 1000);
    ServerDescriptor b = at(B, "2026-11-26T12:00:00Z", 5000);
    store.save(List.of(b, a), Optional.of("0.4.9.11"));

    DescriptorStore.Saved saved = store.load();
    assertEquals(Map.of(A, a, B, b), saved.byFingerprint());
    assertEquals(Optional.of("0.4.9.11"), saved.torVersion());
    assertEquals(
        "# flashflow: the newest server descriptor of each relay, cut down\n"
            + "# tor_version 0.4.9.11\n"
            + "router nA 10.0.0.1 443 0 0\n"
            + "published 2026-11-26 11:00:00\n"
            + "fingerprint AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA\n"
            + "master-key-ed25519 keynA\n"
            + "bandwidth 1000 2000 7\n"
            + "router nB 10.0.0.1 443 0 0\n"
            + "published 2026-11-26 12:00:00\n"
            + "fingerprint BBBB BBBB BBBB BBBB BBBB BBBB BBBB BBBB BBBB BBBB\n"
            + "bandwidth 5000 10000 7\n",
        Files.readString(store.file()));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(store.file())));
  }

  @Test
  void mergeKeepsTheNewestPerRelayAndOnlyConsensusRelays() {
    ServerDescriptor oldA = at(A, "2026-11-26T10:00:00Z", 1);
    ServerDescriptor newA = at(A, "2026-11-26T11:00:00Z", 2);
    ServerDescriptor b = at(B, "2026-11-26T11:00:00Z", 3);
    SortedMap<String, ServerDescriptor> m =
        DescriptorStore.merge(Map.of(A, newA, B, b), List.of(oldA), Set.of());
    assertEquals(Map.of(A, newA, B, b), m, "an older fresh one does not replace a newer saved");
    m = DescriptorStore.merge(Map.of(A, oldA), List.of(newA), Set.of(A));
    assertEquals(Map.of(A, newA), m);
    m = DescriptorStore.merge(Map.of(A, oldA, B, b), List.of(), Set.of(B));
    assertEquals(Map.of(B, b), m, "relays gone from the consensus are dropped");
  }

  @Test
  void unparsableFileIsAnIoError() throws Exception {
    DescriptorStore store = new DescriptorStore(dir);
    Files.writeString(store.file(), "router x 1.2.3.4 1 0 0\nbandwidth 1 2 3\n");
    java.io.IOException e = assertThrows(java.io.IOException.class, store::load);
    assertTrue(e.getMessage().contains("has no fingerprint line"), e.getMessage());
  }
}
