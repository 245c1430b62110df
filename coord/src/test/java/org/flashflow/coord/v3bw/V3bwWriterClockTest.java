package org.flashflow.coord.v3bw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bandwidth file times never go back (docs/testing.md, "Clock steps"): with the clock stepped back,
 * a new file is stamped one second after the newest one, also by a writer that only finds that file
 * through the symlink (a restarted coordinator, or the offline {@code flashflow v3bw}).
 */
class V3bwWriterClockTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void stampNeverGoesBack() throws Exception {
    Path link = dir.resolve("v3bw");
    V3bwWriter w = new V3bwWriter(link);
    assertEquals(T, w.stamp(T.plusMillis(400)));
    Path first = w.write("a\n", w.stamp(T));
    Instant back = T.minus(Duration.ofHours(1));
    assertEquals(T.plusSeconds(1), w.stamp(back));
    Path second = w.write("b\n", w.stamp(back));
    assertTrue(second.getFileName().toString().compareTo(first.getFileName().toString()) > 0);
    assertEquals(second.getFileName(), Files.readSymbolicLink(link));

    V3bwWriter fresh = new V3bwWriter(link);
    assertEquals(T.plusSeconds(2), fresh.stamp(back));
    Instant ahead = T.plus(Duration.ofDays(1));
    assertEquals(ahead, fresh.stamp(ahead), "forward steps are taken as they come");
  }
}
