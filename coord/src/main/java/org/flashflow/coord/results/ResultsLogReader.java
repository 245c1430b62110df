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
import java.util.function.Consumer;
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
 * at the end of every file, and a measurement left open there (a crash mid-write) is dropped. The
 * order of files therefore does not change the result; they are read oldest first all the same
 * (highest rotation number first, the live log last), so records come out roughly in time order.
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

  public ResultsLogReader(Path logFile) {
    this.logFile = Objects.requireNonNull(logFile, "logFile").toAbsolutePath().normalize();
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

  /** Reads every file, passing each complete measurement (END or FAIL) to {@code sink}. */
  public ReadStats read(Consumer<MeasurementRecord> sink) throws IOException {
    ResultsLogParser parser = new ResultsLogParser(sink);
    List<Path> files = files();
    int unreadable = 0;
    for (Path file : files) {
      try {
        readOne(file, parser);
      } catch (IOException e) {
        parser.endOfFile();
        if (file.equals(logFile)) {
          throw e;
        }
        unreadable++;
        log.warn(
            "results log {} could not be read to the end, using what came before: {}",
            file,
            e.toString());
      }
    }
    ReadStats stats = ReadStats.of(files.size(), unreadable, parser.counts());
    log.debug("read results log {}: {}", logFile, stats);
    return stats;
  }

  /**
   * Reads every file into a {@link LatestResults} for {@code now} and {@code maxAge}; the usual way
   * to get what a bandwidth file needs.
   */
  public LatestResults latest(Instant now, Duration maxAge) throws IOException {
    LatestResults latest = new LatestResults(now, maxAge);
    ReadStats stats = read(latest);
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

  private static void readOne(Path file, ResultsLogParser parser) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.getFileName().toString().endsWith(GZ)
                ? new GZIPInputStream(raw, STREAM_BUFFER)
                : raw) {
      LineSplitter.split(in, parser);
    }
    parser.endOfFile();
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
