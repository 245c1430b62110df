package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.testing.SmallDisk;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results log on a filesystem that fills up (docs/testing.md, "Disk full"): a 64 KiB tmpfs
 * mounted by the test (needs root; skipped otherwise, failed under {@code
 * FLASHFLOW_REQUIRE_TOOLS=1}). Once the disk is full, each record fails (reported to the error
 * callback, the writer keeps going), the file still holds exactly the records written before, with
 * no half record at its end; once space is freed the next record is written, by itself.
 */
class ResultsLogDiskFullTest {
  private static final String FP = ResultsLogFormatTest.FP;

  @TempDir Path dir;
  private SmallDisk disk;
  private ThreadLoop loop;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @AfterEach
  void tearDown() throws Exception {
    if (loop != null) {
      loop.close();
    }
    if (disk != null) {
      disk.close();
    }
  }

  private String next() throws InterruptedException {
    String e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no write finished within 10 s");
    }
    return e;
  }

  private static MeasurementRecord record(int i) {
    return ResultsLogFormatTest.failed(
        1000 + i, FP, 1_600_000_000L + i, FailReason.RELAY_REFUSED, "refused " + "x".repeat(200));
  }

  @Test
  void fullDiskLosesNothingWrittenAndWritingResumes() throws Exception {
    disk = SmallDisk.mount(dir);
    loop = new ThreadLoop();
    Path log = disk.path().resolve("results.log");
    StringBuilder expected = new StringBuilder();
    List<IOException> errors = new ArrayList<>();
    try (ResultsLogWriter w =
        new ResultsLogWriter(
            log,
            loop,
            e -> {
              errors.add(e);
              events.add("error");
            })) {
      for (int i = 0; i < 3; i++) {
        w.write(record(i), () -> events.add("durable"));
        assertEquals("durable", next());
        expected.append(ResultsLogFormat.render(record(i)));
      }
      Path filler = disk.fill(); // to the last byte
      // Records fill what is left of the log's last page, then fail; none may leave a part behind.
      int failed = 0;
      for (int i = 3; i < 60 && failed < 3; i++) {
        w.write(record(i), () -> events.add("durable"));
        String what = next();
        if (what.equals("durable")) {
          expected.append(ResultsLogFormat.render(record(i)));
        } else {
          assertEquals("error", what);
          assertEquals("durable", next()); // onDurable runs after a failure all the same
          failed++;
        }
      }
      assertEquals(3, failed, "records failed on the full disk");
      assertTrue(errors.get(0).getMessage().contains("No space left"), errors.toString());
      assertEquals(expected.toString(), Files.readString(log), "the log holds whole records only");

      Files.delete(filler);
      w.write(record(99), () -> events.add("durable"));
      assertEquals("durable", next());
      expected.append(ResultsLogFormat.render(record(99)));
      assertEquals(3, errors.size());
    }
    String text = Files.readString(log);
    assertEquals(expected.toString(), text, "writing resumed after the records written before");
    assertEquals(text.lines().count(), ResultsLogFormat.parse(Files.readAllLines(log)).size() * 2L);
  }
}
