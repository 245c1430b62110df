package org.flashflow.coord.results;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.flashflow.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link Retention}'s plan on disk: what {@code flashflow cleanup -c coord.ini} does,
 * and the coordinator once a day on its file-I/O thread. Blocking; never on the event loop.
 *
 * <p>Compressing is crash-safe: the {@code .gz} is written under a temporary name, fsynced, given
 * the original's permissions and modification time (so its age, and thus its deletion date, stays
 * that of the data), renamed into place, and only then is the original deleted. A crash leaves the
 * original, at worst next to a complete {@code .gz} (the reader then sees each record twice, which
 * changes no result, and the next run leaves that pair for the operator) or a stray temporary file.
 */
public final class ResultsCleanup {
  private static final Logger log = LoggerFactory.getLogger(ResultsCleanup.class);
  private static final int BUFFER = 1 << 16;

  private final Path resultsLog;
  private final Path v3bwLink;
  private final RetentionPolicy policy;

  /** What a run did. */
  public record Report(int compressed, int deleted, int failed) {}

  /**
   * @param resultsLog {@code [coord] results_log}
   * @param v3bwLink {@code [v3bw] v3bw}
   */
  public ResultsCleanup(Path resultsLog, Path v3bwLink, RetentionPolicy policy) {
    this.resultsLog = Objects.requireNonNull(resultsLog, "resultsLog").toAbsolutePath().normalize();
    this.v3bwLink = Objects.requireNonNull(v3bwLink, "v3bwLink").toAbsolutePath().normalize();
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** What a run at {@code now} would do, without doing it. */
  public List<Retention.Action> plan(Instant now) throws IOException {
    List<Retention.Action> actions = new ArrayList<>();
    actions.addAll(
        Retention.results(
            regularFiles(resultsLog.getParent()),
            resultsLog.getFileName().toString(),
            now,
            policy));
    actions.addAll(
        Retention.v3bw(
            regularFiles(v3bwLink.getParent()),
            v3bwLink.getFileName().toString(),
            linkTarget(),
            now,
            policy));
    return actions;
  }

  /** Compresses and deletes what is due at {@code now}; a failure on one file does not stop it. */
  public Report run(Instant now) throws IOException {
    int compressed = 0;
    int deleted = 0;
    int failed = 0;
    for (Retention.Action a : plan(now)) {
      try {
        if (a instanceof Retention.Compress c) {
          Path gz = gzip(c.path());
          log.info("cleanup: compressed {} to {}", c.path(), gz.getFileName());
          compressed++;
        } else if (a instanceof Retention.Delete d) {
          Files.delete(d.path());
          AtomicFiles.fsyncDirectory(d.path().getParent());
          log.info("cleanup: deleted {}", d.path());
          deleted++;
        } else {
          throw new AssertionError(a);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("cleanup: cannot {}: {}", a, e.toString());
        log.debug("cleanup: {} failed", a, e);
        failed++;
      }
    }
    Report r = new Report(compressed, deleted, failed);
    if (compressed + deleted + failed > 0) {
      log.info("cleanup: {} files compressed, {} deleted, {} failed", compressed, deleted, failed);
    }
    return r;
  }

  /**
   * Gzips {@code file} to {@code file.gz} atomically, keeping its permissions and modification
   * time, then deletes {@code file}.
   *
   * @return the {@code .gz}
   */
  static Path gzip(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path gz = dir.resolve(file.getFileName() + ".gz");
    if (Files.exists(gz, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(gz.toString());
    }
    FileTime modified = Files.getLastModifiedTime(file);
    Path tmp = Files.createTempFile(dir, "." + gz.getFileName() + ".", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
      } catch (UnsupportedOperationException e) {
        log.debug("no POSIX permissions on the file system of {}", file);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        GZIPOutputStream out = new GZIPOutputStream(Channels.newOutputStream(ch), BUFFER);
        Files.copy(file, out);
        out.finish();
        ch.force(true);
      }
      Files.setLastModifiedTime(tmp, modified);
      Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    AtomicFiles.fsyncDirectory(dir);
    Files.delete(file);
    AtomicFiles.fsyncDirectory(dir);
    return gz;
  }

  /** The name the {@code v3bw} symlink points to, if it is a symlink into its own directory. */
  private Optional<String> linkTarget() throws IOException {
    if (!Files.isSymbolicLink(v3bwLink)) {
      return Optional.empty();
    }
    Path target = v3bwLink.getParent().resolve(Files.readSymbolicLink(v3bwLink)).normalize();
    return target.getParent().equals(v3bwLink.getParent())
        ? Optional.of(target.getFileName().toString())
        : Optional.empty();
  }

  private static List<Retention.FileEntry> regularFiles(Path dir) throws IOException {
    List<Retention.FileEntry> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // gone meanwhile
        }
        if (a.isRegularFile()) {
          files.add(new Retention.FileEntry(p, a.lastModifiedTime().toInstant()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return files;
  }
}
