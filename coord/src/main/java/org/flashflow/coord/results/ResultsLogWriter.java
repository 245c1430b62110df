package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.flashflow.common.io.AtomicFiles;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.ResultsSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends finished measurements to {@code [coord] results_log} without ever blocking the event
 * loop: all file I/O runs, in submission order, on one private daemon thread ({@code results-io}).
 * Each measurement goes out as one buffer in one append, then {@code fsync}, and only then is the
 * loop told, so a crash at any instant leaves at worst a torn last line, which readers skip. When
 * the file is opened and does not end in {@code \n} (that crash happened), a newline is written
 * first so the torn line cannot swallow the next measurement's BEGIN.
 *
 * <p>A failed write (the disk full, an I/O error) is cut back off the file ({@code ftruncate} to
 * the length before it), so that what was written before stays whole and no half record is left in
 * the middle; the measurement's lines go to the application log at WARN (so the numbers survive),
 * an ERROR says why at most once a minute (with how many writes failed since), and the error
 * callback hears of it; then {@code onDurable} runs all the same: for the coordinator it means "the
 * writer is done with this record", and holding on to the measurement would only leak its id and
 * its memory, as nothing would ever retry. The file is reopened at the next write, which covers a
 * log deleted or rotated away underneath.
 *
 * <p>Log rotation (logrotate without {@code copytruncate}) needs no signal: before each append the
 * writer compares the open file's identity (device and inode) with what the name {@code
 * results_log} leads to now, and when the name was moved or deleted it reopens by name, so the
 * record lands in a new file at the configured path and the moved file keeps everything before it.
 * {@link #reopen()} (the coordinator's {@code SIGHUP}) forces the same.
 */
public final class ResultsLogWriter implements ResultsSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultsLogWriter.class);
  private static final FileAttribute<Set<PosixFilePermission>> DIR_PERMS =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> FILE_PERMS =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path logFile;
  private final Loop loop;
  private final Consumer<IOException> onError;
  private final Consumer<MeasurementRecord> onWritten;
  private final CoordMetrics metrics;
  private final ExecutorService io;

  /** Touched only on the I/O thread. */
  private FileChannel channel;

  /** The open file's identity (device and inode on Linux); null if the platform has none. */
  private Object channelKey;

  /** Failed writes since the last one that worked, and when the last ERROR was logged. */
  private long failedWrites;

  private long suppressed;
  private long lastErrorNanos;
  private boolean errorLogged;

  static final Duration ERROR_EVERY = Duration.ofMinutes(1);

  /**
   * @param onError runs on the loop when a write fails, before that record's {@code onDurable}
   */
  public ResultsLogWriter(Path logFile, Loop loop, Consumer<IOException> onError) {
    this(logFile, loop, onError, record -> {});
  }

  /**
   * @param onError runs on the loop when a write fails, before that record's {@code onDurable}
   * @param onWritten runs on the loop for each record that is durably in the log, just before its
   *     {@code onDurable} (the coordinator keeps its in-memory latest results with it)
   */
  public ResultsLogWriter(
      Path logFile,
      Loop loop,
      Consumer<IOException> onError,
      Consumer<MeasurementRecord> onWritten) {
    this(logFile, loop, onError, onWritten, CoordMetrics.NONE);
  }

  /** As above, timing each append and fsync into {@code metrics} (from the I/O thread). */
  public ResultsLogWriter(
      Path logFile,
      Loop loop,
      Consumer<IOException> onError,
      Consumer<MeasurementRecord> onWritten,
      CoordMetrics metrics) {
    this.logFile = Objects.requireNonNull(logFile, "logFile");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.onError = Objects.requireNonNull(onError, "onError");
    this.onWritten = Objects.requireNonNull(onWritten, "onWritten");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.io =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "results-io");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Appends {@code record} and fsyncs it on the I/O thread, then runs {@code onDurable} on the
   * loop. Safe to call from any thread; records are written in call order.
   */
  @Override
  public void write(MeasurementRecord record, Runnable onDurable) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(onDurable, "onDurable");
    try {
      io.execute(() -> writeNow(record, onDurable));
    } catch (RejectedExecutionException e) {
      fail(record, onDurable, new IOException("results log writer is closed", e));
    }
  }

  /**
   * Closes the file after the writes already submitted; the next write opens {@code results_log}
   * again by name. For log rotation (a rename is noticed without it, see the class comment) and
   * {@code SIGHUP}. Safe to call from any thread, also a signal handler's; after {@link #close} it
   * does nothing.
   */
  public void reopen() {
    try {
      io.execute(
          () -> {
            if (channel != null) {
              log.info("results log {}: reopening on request", logFile);
            }
            closeChannel();
          });
    } catch (RejectedExecutionException e) {
      log.debug("results log {}: not reopening, the writer is closed", logFile);
    }
  }

  /**
   * Finishes the writes already submitted, waiting at most {@code maxWait}, and closes the file.
   * Later writes fail (reported as such). Blocks: call it from the shutdown path, not the loop.
   *
   * @return whether every pending write finished in time
   */
  public boolean close(Duration maxWait) {
    try {
      io.execute(this::closeChannel);
    } catch (RejectedExecutionException e) {
      return io.isTerminated();
    }
    io.shutdown();
    try {
      if (io.awaitTermination(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.warn("results log {}: writes still pending after {}, abandoning them", logFile, maxWait);
    io.shutdownNow();
    return false;
  }

  /** {@link #close(Duration)} with a wait of 10 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  private void writeNow(MeasurementRecord record, Runnable onDurable) {
    String lines = ResultsLogFormat.render(record);
    long before = -1;
    try {
      boolean repairTornTail = open();
      before = channel.size();
      ByteBuffer buf = UTF_8.encode(repairTornTail ? "\n" + lines : lines);
      // Durations only (monotonic), for the metrics; not the clock the log's times come from.
      long start = System.nanoTime();
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      long written = System.nanoTime();
      channel.force(false);
      metrics.resultsLogWritten(written - start, System.nanoTime() - written);
    } catch (IOException | RuntimeException e) {
      cutBack(before);
      failed(record, lines, e);
      fail(record, onDurable, e instanceof IOException ioe ? ioe : new IOException(e));
      return;
    }
    if (failedWrites > 0) {
      log.info(
          "results log {}: writing works again, after {} measurement(s) could not be written",
          logFile,
          failedWrites);
      failedWrites = 0;
      suppressed = 0;
      errorLogged = false;
    }
    loop.execute(
        () -> {
          try {
            onWritten.accept(record);
          } finally {
            onDurable.run();
          }
        });
  }

  /** Truncates a failed append away, so no part of it stays between whole records. */
  private void cutBack(long before) {
    if (channel != null && before >= 0) {
      try {
        channel.truncate(before);
        channel.force(false);
        return;
      } catch (IOException | RuntimeException t) {
        log.debug("results log {}: cannot cut back the failed write: {}", logFile, t.toString());
      }
    }
    closeChannel(); // reopening repairs a torn tail with a newline before the next record
  }

  /** The lines at WARN every time; the ERROR at most every {@link #ERROR_EVERY}. */
  private void failed(MeasurementRecord record, String lines, Exception e) {
    failedWrites++;
    log.warn(
        "results log {}: measurement {} not written ({}); its lines follow:\n{}",
        logFile,
        record.measId(),
        e.toString(),
        lines.strip());
    long now = loop.nanoTime();
    if (errorLogged && now - lastErrorNanos < ERROR_EVERY.toNanos()) {
      suppressed++;
      return;
    }
    String more = suppressed > 0 ? " (" + suppressed + " more failed writes since the last)" : "";
    log.error(
        "results log {} cannot be written: {}{}; measurements fail to be recorded until it can,"
            + " writing resumes by itself",
        logFile,
        e.toString(),
        more);
    errorLogged = true;
    lastErrorNanos = now;
    suppressed = 0;
  }

  private void fail(MeasurementRecord record, Runnable onDurable, IOException e) {
    loop.execute(
        () -> {
          try {
            onError.accept(e);
          } finally {
            onDurable.run();
          }
        });
    log.debug("measurement {} reported as not written", record.measId());
  }

  /**
   * Opens the log if it is not open, creating what is missing.
   *
   * @return whether the file ends in a torn line that needs a newline before the next record
   */
  private boolean open() throws IOException {
    if (channel != null && movedAway()) {
      log.info(
          "results log {} was moved or deleted; continuing in a new file by that name", logFile);
      closeChannel();
    }
    if (channel != null) {
      return false;
    }
    Path dir = logFile.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, DIR_PERMS);
    }
    boolean existed = Files.exists(logFile);
    boolean torn = existed && endsInTornLine();
    channel =
        FileChannel.open(
            logFile,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            FILE_PERMS);
    channelKey = fileKey();
    if (!existed) {
      AtomicFiles.fsyncDirectory(dir);
      log.info("results log {} created", logFile);
    }
    return torn;
  }

  /**
   * Whether the name no longer leads to the open file: one {@code stat}, cheap next to the fsync
   * that follows. Without file keys (not Linux) a rename is only followed on {@link #reopen()}.
   */
  private boolean movedAway() {
    if (channelKey == null) {
      return false;
    }
    try {
      return !channelKey.equals(fileKey());
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      // Cannot tell (e.g. a permission change on the directory): keep the open file.
      log.debug("results log {}: cannot stat it: {}", logFile, e.toString());
      return false;
    }
  }

  private Object fileKey() throws IOException {
    return Files.readAttributes(logFile, BasicFileAttributes.class).fileKey();
  }

  private boolean endsInTornLine() throws IOException {
    try (FileChannel in = FileChannel.open(logFile, StandardOpenOption.READ)) {
      long size = in.size();
      if (size == 0) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      in.read(last, size - 1);
      return last.get(0) != '\n';
    }
  }

  private void closeChannel() {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("results log {}: closing failed: {}", logFile, e.toString());
    }
    channel = null;
    channelKey = null;
  }
}
