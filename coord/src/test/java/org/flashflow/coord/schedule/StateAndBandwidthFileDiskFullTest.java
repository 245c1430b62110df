package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.flashflow.common.testing.SmallDisk;
import org.flashflow.coord.v3bw.V3bwWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state file and the bandwidth file on a filesystem that fills up (docs/testing.md, "Disk
 * full"): a 64 KiB tmpfs mounted by the test (needs root; skipped otherwise, failed under {@code
 * FLASHFLOW_REQUIRE_TOOLS=1}). A write on the full disk fails with an IOException and leaves the
 * previous state file, the previous bandwidth file and the {@code v3bw} symlink as they were, and
 * no temporary file behind; once space is freed the next write works.
 */
class StateAndBandwidthFileDiskFullTest {
  private static final Duration PERIOD = Duration.ofMinutes(10);
  private static final Duration SLOT = Duration.ofSeconds(30);
  private static final Instant T = Instant.parse("2030-01-01T00:00:05Z");

  @TempDir Path dir;
  private SmallDisk disk;
  private Path mount;

  @AfterEach
  void tearDown() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  private static ScheduleState state(int relays) {
    List<ScheduleState.Entry> entries = new ArrayList<>();
    for (int i = 0; i < relays; i++) {
      entries.add(
          new ScheduleState.Entry(
              String.format(Locale.ROOT, "%040X", i),
              Planner.State.PLANNED,
              Planner.Kind.SCHEDULED,
              1 + i % 10,
              1000,
              0,
              0,
              ""));
    }
    return new ScheduleState(0, 1, 1_000_000_000L, entries);
  }

  private static String bandwidthFile(int relays) {
    StringBuilder sb = new StringBuilder("1893456005\nversion=1.5.0\n=====\n");
    for (int i = 0; i < relays; i++) {
      sb.append(String.format(Locale.ROOT, "bw=%d node_id=$%040X%n", 100 + i, i));
    }
    return sb.toString();
  }

  private List<String> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(mount)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
    }
  }

  @Test
  void aFullDiskKeepsTheOldFilesAndWritingResumes() throws Exception {
    disk = SmallDisk.mount(dir);
    mount = disk.path();
    StateFile stateFile =
        new StateFile(mount.resolve("state.json"), PERIOD, SLOT, Clock.fixed(T, ZoneOffset.UTC));
    V3bwWriter v3bw = new V3bwWriter(mount.resolve("v3bw"));
    ScheduleState before = state(3);
    stateFile.save(before);
    String oldFile = bandwidthFile(3);
    Path written = v3bw.write(oldFile, v3bw.stamp(T));

    Path filler = disk.fill();
    ScheduleState after = state(40);
    String newFile = bandwidthFile(40);
    for (int i = 0; i < 3; i++) {
      IOException e = assertThrows(IOException.class, () -> stateFile.save(after));
      assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
      Instant t = T.plusSeconds(60 + i);
      assertThrows(IOException.class, () -> v3bw.write(newFile, v3bw.stamp(t)));
    }
    assertEquals(before, stateFile.load().orElseThrow(), "the previous state file is intact");
    assertEquals(written.getFileName(), Files.readSymbolicLink(mount.resolve("v3bw")));
    assertEquals(oldFile, Files.readString(mount.resolve("v3bw")), "the previous bandwidth file");
    assertEquals(List.of(), temporaryFiles(), "no temporary file left behind");

    Files.delete(filler);
    stateFile.save(after);
    assertEquals(after, stateFile.load().orElseThrow());
    Path next = v3bw.write(newFile, v3bw.stamp(T.plusSeconds(120)));
    assertEquals(next.getFileName(), Files.readSymbolicLink(mount.resolve("v3bw")));
    assertEquals(newFile, Files.readString(mount.resolve("v3bw")));
    assertEquals(List.of(), temporaryFiles());
  }
}
