package org.flashflow.coord.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.flashflow.coord.core.MeasurementRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the results log and its rotated siblings ({@code results.log.1}, {@code
 * results.log.2.gz}, ...: every regular file in the log's directory whose name starts with the
 * log's name) and hands out the complete measurements in them. Memory stays small whatever the log
 * size: lines are parsed in place and only measurements begun but not yet ended are held.
 *
 * <p>Each measurement is appended whole, by one write, so it never spans two files: state is reset
 * at the end of every file, and a measurement left open there (a crash mid-write) is dropped, as
 * are the lines of its id in the next file (orphans). Each file can therefore be read on its own:
 * {@link #read} goes through them oldest first (highest rotation number first, the live log last),
 * so records come out roughly in time order; {@link #latest} reads them (and parts of large ones)
 * in parallel, each into its own {@link LatestResults}, and joins those oldest first, which gives
 * the same result ({@link ParallelRead}).
 *
 * <p>Blocking; run it off the event loop. A rotated sibling that cannot be read to the end (a
 * truncated {@code .gz}) is logged and counted, and what it held up to there is used; a failure to
 * read the live log itself is thrown.
 */
public final class ResultsLogReader {
  private static final Logger log = LoggerFactory.getLogger(ResultsLogReader.class);
  private static final int STREAM_BUFFER = 1 << 16;
  private static final String GZ = ".gz";

  private final Path logFile;
  private final int threads;

  /** Reads the files of {@link #latest} on up to as many threads as there are processors. */
  public ResultsLogReader(Path logFile) {
    this(logFile, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param threads at most this many files or parts of files are read at once by {@link #latest}
   *     (1: one after the other, on the calling thread)
   */
  public ResultsLogReader(Path logFile, int threads) {
    this.logFile = Objects.requireNonNull(logFile, "logFile").toAbsolutePath().normalize();
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    this.threads = threads;
  }

  /** The live log and its rotated siblings that exist now, oldest first. */
  public List<Path> files() throws IOException {
    Path dir = logFile.getParent();
    String base = logFile.getFileName().toString();
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isSibling(p, base))) {
      ds.forEach(found::add);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    found.sort(
        Comparator.comparingLong((Path p) -> -rotation(p, base))
            .thenComparing(p -> p.getFileName().toString()));
    return found;
  }

  /**
   * Reads every file, oldest first, on the calling thread, passing each complete measurement (END
   * or FAIL) to {@code sink}.
   */
  public ReadStats read(Consumer<MeasurementRecord> sink) throws IOException {
    List<Path> files = files();
    ResultsLogParser.Counts counts = new ResultsLogParser.Counts();
    int unreadable = 0;
    for (Path file : files) {
      FileRead r = readFile(file, ResultsLogParser.Sink.of(sink));
      counts.add(r.counts());
      unreadable += unreadable(r);
    }
    ReadStats stats = ReadStats.of(files.size(), unreadable, counts);
    log.debug("read results log {}: {}", logFile, stats);
    return stats;
  }

  /**
   * Reads every file into a {@link LatestResults} for {@code now} and {@code maxAge}; the usual way
   * to get what a bandwidth file needs. Files are read in parallel (see the class comment).
   */
  public LatestResults latest(Instant now, Duration maxAge) throws IOException {
    ParallelRead.Outcome read =
        ParallelRead.read(files(), logFile, threads, () -> new LatestResults(now, maxAge));
    LatestResults latest = read.latest();
    ReadStats stats = read.stats();
    log.info(
        "results log {}: {} files, {} lines, {} completed and {} failed measurements, {} relays"
            + " with a result newer than {}; skipped {} bad lines, {} unknown, {} orphan, {}"
            + " unfinished measurements",
        logFile,
        stats.files(),
        stats.lines(),
        stats.completed(),
        stats.failed(),
        latest.size(),
        now.minus(maxAge),
        stats.skipped(),
        stats.unknownType(),
        stats.orphans(),
        stats.incomplete());
    return latest;
  }

  /**
   * Reads every file as {@link #latest} does, in parts on up to {@code threads} threads, into
   * summaries of the caller's kind: each part's measurements go to its own {@code parts.get()}, and
   * those are joined oldest first by {@code join(into, later)} into one more, which is returned. A
   * summary must therefore give the same result whether it saw the records in one pass or in parts
   * joined in order. Measurements come as records, with their seconds.
   */
  public <S extends Consumer<MeasurementRecord>> Summary<S> read(
      Supplier<S> parts, BiConsumer<S, S> join) throws IOException {
    ParallelRead.Joined<S> read =
        ParallelRead.readParts(
            files(),
            logFile,
            threads,
            new ParallelRead.Parts<>() {
              @Override
              public S create() {
                return parts.get();
              }

              @Override
              public ResultsLogParser.Sink sink(S summary) {
                return ResultsLogParser.Sink.of(summary);
              }

              @Override
              public void join(S into, S later) {
                join.accept(into, later);
              }
            },
            ParallelRead.MIN_PART);
    log.debug("read results log {} in {} parts: {}", logFile, read.parts(), read.stats());
    return new Summary<>(read.value(), read.stats());
  }

  /** What {@link #read(Supplier, BiConsumer)} gives: the joined summary, and what was read. */
  public record Summary<S>(S value, ReadStats stats) {}

  /** What reading one file gave: its counts, and the error that stopped it early, if any. */
  private record FileRead(Path file, ResultsLogParser.Counts counts, IOException error) {}

  /**
   * Reads one file on its own parser (a measurement never continues in the next file). A rotated
   * sibling that fails part-way is returned with its error and what came before; the live log's
   * failure is thrown.
   */
  private FileRead readFile(Path file, ResultsLogParser.Sink sink) throws IOException {
    ResultsLogParser parser = new ResultsLogParser(sink);
    IOException error = null;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.getFileName().toString().endsWith(GZ)
                ? new GZIPInputStream(raw, STREAM_BUFFER)
                : raw) {
      LineSplitter.split(in, parser);
    } catch (IOException e) {
      if (file.equals(logFile)) {
        throw e;
      }
      error = e;
    }
    parser.endOfFile();
    return new FileRead(file, parser.counts(), error);
  }

  /** 1 if {@code r} stopped early (logged here), else 0. */
  private static int unreadable(FileRead r) {
    if (r.error() == null) {
      return 0;
    }
    log.warn(
        "results log {} could not be read to the end, using what came before: {}",
        r.file(),
        r.error().toString());
    return 1;
  }

  private static boolean isSibling(Path p, String base) {
    return p.getFileName().toString().startsWith(base) && Files.isRegularFile(p);
  }

  /**
   * The rotation number in {@code results.log.N[.gz]}: 0 for the live log, {@code Long.MAX_VALUE}
   * for names of other shapes (e.g. logrotate's dateext), which thus sort first, by name.
   */
  static long rotation(Path p, String base) {
    String rest = p.getFileName().toString().substring(base.length());
    if (rest.endsWith(GZ)) {
      rest = rest.substring(0, rest.length() - GZ.length());
    }
    if (rest.isEmpty()) {
      return 0;
    }
    if (rest.length() < 2 || rest.length() > 10 || rest.charAt(0) != '.') {
      return Long.MAX_VALUE;
    }
    for (int i = 1; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c < '0' || c > '9') {
        return Long.MAX_VALUE;
      }
    }
    return Long.parseLong(rest.substring(1));
  }
}
