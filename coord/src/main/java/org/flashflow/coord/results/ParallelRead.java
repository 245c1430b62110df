package org.flashflow.coord.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.flashflow.common.io.IoFutures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link ResultsLogReader#latest} reads the log and its rotated siblings on several threads and
 * still decides exactly as one pass, oldest file first, would.
 *
 * <p>The work is cut into parts: a {@code .gz} file is one part; a large plain file is cut at the
 * start of BEGIN lines into parts of about {@code 1 / (2 * threads)} of all the work (with our
 * writer, whose measurements are each one write, no measurement is open there). Each part is read
 * by a fresh parser into its own {@link LatestResults}; the parts are read biggest first on a pool
 * of at most {@code threads} threads ({@code results-read}, daemon) and joined in file and part
 * order ({@link LatestResults#addAll}). Reading a part with a fresh parser is what one pass would
 * do exactly when that pass has no measurement open at the part's start, that is, when the part
 * before ended with none open; if one did (lines of several measurements interleaved across the
 * cut), the whole file is read again in one piece. A file's parts share one open channel, so a
 * rotation during the read cannot mix two files.
 *
 * <p>Errors as in one pass: the live log's is thrown; a rotated sibling that fails part-way is
 * logged and counted, and what came before the failure is used.
 */
final class ParallelRead {
  private static final Logger log = LoggerFactory.getLogger(ParallelRead.class);
  private static final String GZ = ".gz";
  private static final int STREAM_BUFFER = 1 << 16;

  /** A plain file is not cut into parts smaller than this. */
  static final long MIN_PART = 8L << 20;

  /** How far past a planned cut to look for a BEGIN line before giving up on that cut. */
  private static final int MAX_SCAN = 1 << 20;

  /** The length of a part that runs to the end of the file, however long it is by then. */
  private static final long TO_END = Long.MAX_VALUE;

  private ParallelRead() {}

  /**
   * What was read: the joined results and the counts of every file.
   *
   * @param parts how many parts the files were cut into
   * @param rereadFiles files read again in one piece because a cut fell inside a measurement
   */
  record Outcome(LatestResults latest, ReadStats stats, int parts, int rereadFiles) {}

  /**
   * How parts are read into and joined: what {@link #readParts} does with any summary type, of
   * which {@link LatestResults} is one.
   */
  interface Parts<S> {
    /** A new, empty summary: one per part, and one to join them into. */
    S create();

    /** Where the parser puts the measurements of a part read into {@code summary}. */
    ResultsLogParser.Sink sink(S summary);

    /** Adds {@code later} (read after what {@code into} holds) to {@code into}. */
    void join(S into, S later);
  }

  /** As {@link Outcome}, for any summary type. */
  record Joined<S>(S value, ReadStats stats, int parts, int rereadFiles) {}

  private record Part(int file, long from, long length, long work) {
    boolean last() {
      return length == TO_END;
    }
  }

  private record PartRead<S>(
      S value, ResultsLogParser.Counts counts, IOException error, boolean clean) {}

  /**
   * Reads {@code files} (oldest first, as {@link ResultsLogReader#files} lists them).
   *
   * @param liveLog the one of {@code files} whose failure is thrown
   * @param sinks makes one empty {@link LatestResults} per part, all with the same window
   */
  static Outcome read(List<Path> files, Path liveLog, int threads, Supplier<LatestResults> sinks)
      throws IOException {
    return read(files, liveLog, threads, sinks, MIN_PART);
  }

  /** As {@link #read(List, Path, int, Supplier)} with parts of at least {@code minPart} bytes. */
  static Outcome read(
      List<Path> files, Path liveLog, int threads, Supplier<LatestResults> sinks, long minPart)
      throws IOException {
    Joined<LatestResults> j =
        readParts(
            files,
            liveLog,
            threads,
            new Parts<>() {
              @Override
              public LatestResults create() {
                return sinks.get();
              }

              @Override
              public ResultsLogParser.Sink sink(LatestResults summary) {
                return summary;
              }

              @Override
              public void join(LatestResults into, LatestResults later) {
                into.addAll(later);
              }
            },
            minPart);
    return new Outcome(j.value(), j.stats(), j.parts(), j.rereadFiles());
  }

  /**
   * Reads {@code files} (oldest first) into summaries made by {@code how}, one per part, and joins
   * them oldest first into a new one.
   */
  static <S> Joined<S> readParts(
      List<Path> files, Path liveLog, int threads, Parts<S> how, long minPart) throws IOException {
    List<FileChannel> channels = new ArrayList<>(files.size());
    try {
      List<Part> parts = plan(files, liveLog, threads, minPart, channels);
      List<PartRead<S>> reads = run(parts, files, channels, threads, how);
      return join(files, liveLog, parts, reads, channels, how);
    } finally {
      for (FileChannel ch : channels) {
        if (ch != null) {
          ch.close();
        }
      }
    }
  }

  /**
   * Cuts the files into parts; opens each plain file once ({@code channels}, null for a {@code .gz}
   * or a rotated sibling that cannot be opened: reading it will say what is wrong).
   */
  private static List<Part> plan(
      List<Path> files, Path liveLog, int threads, long minPart, List<FileChannel> channels)
      throws IOException {
    long[] size = new long[files.size()];
    long total = 0;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      FileChannel ch = null;
      if (!isGz(file)) {
        try {
          ch = FileChannel.open(file, StandardOpenOption.READ);
          size[f] = ch.size();
        } catch (IOException e) {
          if (file.equals(liveLog)) {
            throw e;
          }
        }
      } else {
        size[f] = 5 * sizeOrZero(file); // about what it holds uncompressed
      }
      channels.add(ch);
      total += size[f];
    }
    long target = Math.max(minPart, total / (2L * threads));
    List<Part> parts = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      FileChannel ch = channels.get(f);
      long from = 0;
      if (ch != null && threads > 1) {
        int pieces = (int) Math.min(64, Math.round((double) size[f] / target));
        for (int k = 1; k < pieces; k++) {
          long cut = beginLineAtOrAfter(ch, size[f] * k / pieces, size[f]);
          if (cut > from) {
            parts.add(new Part(f, from, cut - from, cut - from));
            from = cut;
          }
        }
      }
      parts.add(new Part(f, from, TO_END, size[f] - from));
    }
    return parts;
  }

  private static <S> List<PartRead<S>> run(
      List<Part> parts, List<Path> files, List<FileChannel> channels, int threads, Parts<S> how)
      throws IOException {
    int n = parts.size();
    List<PartRead<S>> out = new ArrayList<>(n);
    if (threads == 1 || n <= 1) {
      for (Part p : parts) {
        out.add(readPart(p, files, channels, how, how.create()));
      }
      return out;
    }
    List<Integer> biggestFirst = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      biggestFirst.add(i);
    }
    biggestFirst.sort(Comparator.comparingLong((Integer i) -> -parts.get(i).work()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, n),
            r -> {
              Thread t = new Thread(r, "results-read");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<PartRead<S>>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        futures.add(null);
      }
      for (int i : biggestFirst) {
        S summary = how.create();
        futures.set(i, pool.submit(() -> readPart(parts.get(i), files, channels, how, summary)));
      }
      for (Future<PartRead<S>> f : futures) {
        out.add(IoFutures.await(f, "reading the results log"));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Joins the parts in order; re-reads a file whose cut fell inside a measurement. */
  private static <S> Joined<S> join(
      List<Path> files,
      Path liveLog,
      List<Part> parts,
      List<PartRead<S>> reads,
      List<FileChannel> channels,
      Parts<S> how)
      throws IOException {
    S joined = how.create();
    ResultsLogParser.Counts counts = new ResultsLogParser.Counts();
    int unreadable = 0;
    int reread = 0;
    int i = 0;
    for (int f = 0; f < files.size(); f++) {
      int first = i;
      boolean clean = true;
      while (!parts.get(i).last()) {
        clean &= reads.get(i).clean();
        i++;
      }
      int last = i++;
      List<PartRead<S>> fileReads = reads.subList(first, last + 1);
      if (!clean) {
        log.debug(
            "results log {}: a measurement spans a cut; reading it in one piece", files.get(f));
        Part whole = new Part(f, 0, TO_END, 0);
        fileReads = List.of(readPart(whole, files, channels, how, how.create()));
        reread++;
      }
      for (PartRead<S> r : fileReads) {
        how.join(joined, r.value());
        counts.add(r.counts());
        if (r.error() != null) {
          if (files.get(f).equals(liveLog)) {
            throw r.error();
          }
          unreadable++;
          log.warn(
              "results log {} could not be read to the end, using what came before: {}",
              files.get(f),
              r.error().toString());
          break;
        }
      }
    }
    return new Joined<>(
        joined, ReadStats.of(files.size(), unreadable, counts), parts.size(), reread);
  }

  /** Reads one part with a fresh parser; an I/O error is returned, not thrown. */
  private static <S> PartRead<S> readPart(
      Part part, List<Path> files, List<FileChannel> channels, Parts<S> how, S summary) {
    ResultsLogParser parser = new ResultsLogParser(how.sink(summary));
    IOException error = null;
    Path file = files.get(part.file());
    FileChannel ch = channels.get(part.file());
    try (InputStream in =
        ch != null
            ? new RangeStream(ch, part.from(), part.length())
            : isGz(file)
                ? new GZIPInputStream(Files.newInputStream(file), STREAM_BUFFER)
                : Files.newInputStream(file)) {
      LineSplitter.split(in, parser);
    } catch (IOException e) {
      error = e;
    }
    boolean clean = part.last() || parser.open() == 0;
    parser.endOfFile();
    return new PartRead<>(summary, parser.counts(), error, clean);
  }

  /**
   * The offset of the first line at or after {@code near} (a line that starts there or later) that
   * is a BEGIN record, or -1 if there is none within {@link #MAX_SCAN} bytes or before {@code
   * size}.
   */
  static long beginLineAtOrAfter(FileChannel ch, long near, long size) throws IOException {
    byte[] b = new byte[1 << 16];
    long pos = Math.max(0, near - 1); // the line starts after the first \n at or after near - 1
    boolean atLineStart = near == 0;
    long limit = Math.min(size, near + MAX_SCAN);
    while (pos < limit) {
      int n = ch.read(ByteBuffer.wrap(b, 0, (int) Math.min(b.length, size - pos)), pos);
      if (n <= 0) {
        return -1;
      }
      int i = 0;
      if (!atLineStart) {
        while (i < n && b[i] != '\n') {
          i++;
        }
        if (i == n) {
          pos += n;
          continue;
        }
        i++;
        atLineStart = true;
      }
      // i is a line start; check every whole line in the window
      while (i < n) {
        int eol = i;
        while (eol < n && b[eol] != '\n') {
          eol++;
        }
        if (eol == n) {
          break; // the line runs past the window: read again from its start
        }
        if (isBegin(b, i, eol)) {
          return pos + i;
        }
        i = eol + 1;
      }
      if (i == 0) {
        return -1; // one line longer than the window: not one of ours
      }
      pos += i;
    }
    return -1;
  }

  /** Whether {@code b[from, to)} looks like {@code <number> <number> BEGIN ...}. */
  static boolean isBegin(byte[] b, int from, int to) {
    int i = from;
    for (int field = 0; field < 2; field++) {
      while (i < to && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      if (field == 1 && i < to && b[i] == '-') {
        i++;
      }
      int digits = i;
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == digits || i == to || (b[i] != ' ' && b[i] != '\t')) {
        return false;
      }
    }
    while (i < to && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    String word = ResultsLogFormat.BEGIN;
    if (to - i <= word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    byte after = b[i + word.length()];
    return after == ' ' || after == '\t';
  }

  private static boolean isGz(Path file) {
    return file.getFileName().toString().endsWith(GZ);
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * {@code length} bytes of a shared channel from {@code from} (or to its end), by positional
   * reads, which the channel allows from several threads at once.
   */
  private static final class RangeStream extends InputStream {
    private final FileChannel ch;
    private long pos;
    private final long end;

    RangeStream(FileChannel ch, long from, long length) {
      this.ch = ch;
      this.pos = from;
      this.end = length == TO_END ? TO_END : from + length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int want = (int) Math.min(len, end - pos);
      int n = ch.read(ByteBuffer.wrap(b, off, want), pos);
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() {
      // the channel is shared by the file's parts and closed once, after all of them
    }
  }
}
