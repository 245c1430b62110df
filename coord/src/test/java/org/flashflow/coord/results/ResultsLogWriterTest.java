package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsLogWriterTest {
  private static final String FP = ResultsLogFormatTest.FP;
  private static final long WAIT_SECONDS = 10;

  @TempDir Path dir;
  private ThreadLoop loop;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final List<IOException> errors = new ArrayList<>();

  @BeforeEach
  void setUp() throws InterruptedException {
    loop = new ThreadLoop();
  }

  @AfterEach
  void tearDown() {
    loop.close();
  }

  private ResultsLogWriter writer(Path log) {
    return new ResultsLogWriter(
        log,
        loop,
        e -> {
          errors.add(e);
          events.add("error on loop: " + loop.inLoop());
        });
  }

  private Runnable durable(String name) {
    return () -> events.add(name + " durable on loop: " + loop.inLoop());
  }

  private String next() throws InterruptedException {
    String e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("nothing happened within " + WAIT_SECONDS + " s");
    }
    return e;
  }

  @Test
  void writesRecordsInOrderCreatingPrivateDirAndFile() throws Exception {
    Path log = dir.resolve("data/results/results.log");
    MeasurementRecord r2 =
        ResultsLogFormatTest.failed(8, FP, 1_600_000_100L, FailReason.RELAY_REFUSED, "no\nthanks");
    try (ResultsLogWriter w = writer(log)) {
      w.write(ResultsLogFormatTest.COMPLETED, durable("first"));
      w.write(r2, durable("second"));
      assertEquals("first durable on loop: true", next());
      assertEquals("second durable on loop: true", next());
    }
    String text = Files.readString(log);
    assertTrue(text.endsWith("\n"));
    assertEquals(ResultsLogFormatTest.COMPLETED_TEXT + ResultsLogFormat.render(r2), text);
    assertEquals(
        List.of(
            ResultsLogFormatTest.COMPLETED,
            ResultsLogFormatTest.failed(
                8, FP, 1_600_000_100L, FailReason.RELAY_REFUSED, "no thanks")),
        ResultsLogFormat.parse(Files.readAllLines(log)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())));
    assertTrue(errors.isEmpty());
  }

  @Test
  void appendsToExistingLogAndRepairsTornTail() throws Exception {
    Path log = dir.resolve("results.log");
    Files.writeString(log, "# old\n1 100 BEGIN " + FP + "\n1 100 MEA");
    try (ResultsLogWriter w = writer(log)) {
      w.write(ResultsLogFormatTest.COMPLETED, durable("first"));
      assertEquals("first durable on loop: true", next());
    }
    assertEquals(
        "# old\n1 100 BEGIN " + FP + "\n1 100 MEA\n" + ResultsLogFormatTest.COMPLETED_TEXT,
        Files.readString(log));
    assertEquals(
        List.of(ResultsLogFormatTest.COMPLETED), ResultsLogFormat.parse(Files.readAllLines(log)));
  }

  @Test
  void reopenFollowsRotation() throws Exception {
    Path log = dir.resolve("results.log");
    MeasurementRecord r2 = ResultsLogReaderTest.done(9, FP, 1_600_000_500L, 42);
    try (ResultsLogWriter w = writer(log)) {
      w.write(ResultsLogFormatTest.COMPLETED, durable("first"));
      assertEquals("first durable on loop: true", next());
      Files.move(log, dir.resolve("results.log.1"));
      w.reopen();
      w.write(r2, durable("second"));
      assertEquals("second durable on loop: true", next());
    }
    assertEquals(
        ResultsLogFormatTest.COMPLETED_TEXT, Files.readString(dir.resolve("results.log.1")));
    assertEquals(ResultsLogFormat.render(r2), Files.readString(log));
  }

  @Test
  void noticesTheLogMovedAwayWithoutReopenAndTheReaderSeesBothFiles() throws Exception {
    Path log = dir.resolve("results.log");
    MeasurementRecord r2 = ResultsLogReaderTest.done(9, FP, 1_600_000_500L, 42);
    MeasurementRecord r3 = ResultsLogReaderTest.done(10, FP, 1_600_000_600L, 43);
    try (ResultsLogWriter w = writer(log)) {
      w.write(ResultsLogFormatTest.COMPLETED, durable("first"));
      assertEquals("first durable on loop: true", next());
      Files.move(log, dir.resolve("moved"));
      w.write(r2, durable("second"));
      assertEquals("second durable on loop: true", next());
      assertEquals(ResultsLogFormat.render(r2), Files.readString(log));
      assertEquals(ResultsLogFormatTest.COMPLETED_TEXT, Files.readString(dir.resolve("moved")));
      // The second rotation: compressed, as logrotate's "compress" leaves it.
      gzip(log, dir.resolve("results.log.2.gz"));
      Files.delete(log);
      w.write(r3, durable("third"));
      assertEquals("third durable on loop: true", next());
    }
    Files.move(dir.resolve("moved"), dir.resolve("results.log.1"));
    assertEquals(ResultsLogFormat.render(r3), Files.readString(log));
    List<MeasurementRecord> read = new ArrayList<>();
    ReadStats stats = new ResultsLogReader(log).read(read::add);
    assertEquals(3, stats.files());
    assertEquals(List.of(r2, ResultsLogFormatTest.COMPLETED, r3), read);
    assertTrue(errors.isEmpty());
  }

  @Test
  void reopenBetweenWritesLosesNothing() throws Exception {
    Path log = dir.resolve("results.log");
    List<MeasurementRecord> written = new ArrayList<>();
    try (ResultsLogWriter w = writer(log)) {
      for (int i = 1; i <= 40; i++) {
        MeasurementRecord r = ResultsLogReaderTest.done(i, FP, 1_600_000_000L + i, i);
        written.add(r);
        w.write(r, () -> {});
        if (i % 3 == 0) {
          w.reopen();
        }
        if (i == 20) {
          w.write(ResultsLogReaderTest.done(99, FP, 1_600_000_099L, 9), durable("mid"));
          assertEquals("mid durable on loop: true", next());
          written.add(ResultsLogReaderTest.done(99, FP, 1_600_000_099L, 9));
          Files.move(log, dir.resolve("results.log.1"));
          w.reopen();
        }
      }
    }
    List<MeasurementRecord> read = new ArrayList<>();
    new ResultsLogReader(log).read(read::add);
    assertEquals(written.size(), read.size());
    assertTrue(read.containsAll(written));
    assertTrue(errors.isEmpty());
  }

  @Test
  void onWrittenRunsOnTheLoopForDurableRecordsOnly() throws Exception {
    Path log = dir.resolve("results.log");
    BlockingQueue<String> written = new LinkedBlockingQueue<>();
    try (ResultsLogWriter w =
        new ResultsLogWriter(
            log, loop, errors::add, r -> written.add(r.measId() + " on loop " + loop.inLoop()))) {
      w.write(ResultsLogFormatTest.COMPLETED, durable("first"));
      assertEquals("first durable on loop: true", next());
      assertEquals(ResultsLogFormatTest.COMPLETED.measId() + " on loop true", written.poll());
      assertTrue(w.close(Duration.ofSeconds(WAIT_SECONDS)));
      w.write(ResultsLogFormatTest.COMPLETED, durable("late"));
      assertEquals("late durable on loop: true", next());
    }
    assertTrue(written.isEmpty());
    assertEquals(1, errors.size());
  }

  private static void gzip(Path from, Path to) throws IOException {
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(to))) {
      Files.copy(from, out);
    }
  }

  @Test
  void failedWriteIsReportedOnTheLoopThenDurableRuns() throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "x");
    try (ResultsLogWriter w = writer(blocker.resolve("results.log"))) {
      w.write(ResultsLogFormatTest.COMPLETED, durable("first"));
      assertEquals("error on loop: true", next());
      assertEquals("first durable on loop: true", next());
    }
    assertEquals(1, errors.size());
  }

  @Test
  void writeAfterCloseIsReportedAsFailure() throws Exception {
    ResultsLogWriter w = writer(dir.resolve("results.log"));
    assertTrue(w.close(Duration.ofSeconds(WAIT_SECONDS)));
    w.write(ResultsLogFormatTest.COMPLETED, durable("late"));
    assertEquals("error on loop: true", next());
    assertEquals("late durable on loop: true", next());
    assertInstanceOf(IOException.class, errors.get(0));
    assertFalse(Files.exists(dir.resolve("results.log")));
  }

  @Test
  void closeDrainsPendingWrites() throws Exception {
    Path log = dir.resolve("results.log");
    ResultsLogWriter w = writer(log);
    for (int i = 1; i <= 50; i++) {
      w.write(ResultsLogReaderTest.done(i, FP, 1_600_000_000L + i, i), () -> {});
    }
    assertTrue(w.close(Duration.ofSeconds(WAIT_SECONDS)));
    assertEquals(50, ResultsLogFormat.parse(Files.readAllLines(log)).size());
  }
}
