package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
  private Path mount;
  private ThreadLoop loop;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @AfterEach
  void tearDown() throws Exception {
    if (loop != null) {
      loop.close();
    }
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      System.err.println(String.join(" ", cmd) + ": exit " + rc + ": " + out);
    }
    return rc;
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
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean required = "1".equals(System.getenv("FLASHFLOW_REQUIRE_TOOLS"));
    assumeTrue(root || required, "needs root to mount a tmpfs");
    mount = Files.createDirectory(dir.resolve("small"));
    if (run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString()) != 0) {
      mount = null;
      assumeTrue(required, "cannot mount a tmpfs here");
      throw new AssertionError("cannot mount a tmpfs");
    }
    loop = new ThreadLoop();
    Path log = mount.resolve("results.log");
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
      // Fill the disk to the last byte.
      Path filler = mount.resolve("filler");
      try (OutputStream out = Files.newOutputStream(filler)) {
        byte[] block = new byte[1024];
        for (int i = 0; i < 1024; i++) {
          out.write(block);
          out.flush();
        }
        throw new AssertionError("the 64 KiB tmpfs took 1 MiB");
      } catch (IOException full) {
        // ENOSPC: the disk is full
      }
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
