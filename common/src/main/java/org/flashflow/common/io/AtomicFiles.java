package org.flashflow.common.io;

import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces files and symlinks so that a reader (tor re-reading its bandwidth file, the next start
 * reading a state file) sees either the old or the new content, never a mix, and so that the new
 * content survives a power loss once the call returns: write a temporary sibling, fsync it, rename
 * it over the target, fsync the directory.
 */
public final class AtomicFiles {
  private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);
  private static final int MAX_NAME_ATTEMPTS = 100;

  private AtomicFiles() {}

  /**
   * Atomically replaces (or creates) {@code target} with {@code content}.
   *
   * @param perms the new file's permissions, set explicitly so the umask does not widen or narrow
   *     them; ignored on file systems without POSIX permissions
   */
  public static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> perms)
      throws IOException {
    Path dir = parentOf(target);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      setPermissions(tmp, perms);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    fsyncDirectory(dir);
  }

  /**
   * Atomically points the symlink {@code link} at {@code target}, replacing whatever {@code link}
   * was (a symlink or a regular file; not a directory). A reader following {@code link} always
   * finds either the old or the new target.
   *
   * @param target stored as given: pass a path relative to {@code link}'s directory (usually just a
   *     file name) so the directory can be moved as a whole
   */
  public static void replaceSymlink(Path link, Path target) throws IOException {
    Path dir = parentOf(link);
    Path tmp = createTempSymlink(dir, link.getFileName().toString(), target);
    try {
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    fsyncDirectory(dir);
  }

  private static Path createTempSymlink(Path dir, String name, Path target) throws IOException {
    for (int i = 0; ; i++) {
      Path tmp = dir.resolve("." + name + "." + Long.toHexString(randomLong()) + ".tmp");
      try {
        return Files.createSymbolicLink(tmp, target);
      } catch (FileAlreadyExistsException e) {
        if (i >= MAX_NAME_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Deletes what writes in {@code dir} that a crash or {@code kill -9} interrupted left behind: the
   * temporary siblings ({@code .NAME.DIGITS.tmp}, regular files or symlinks) that this class and
   * {@link Files#createTempFile} make, last modified at least {@code minAge} before {@code now} (a
   * write under way takes milliseconds, so a minute old is a leftover). Anything else is left
   * alone. A file that cannot be deleted is logged and skipped.
   *
   * @return how many were deleted
   * @throws IOException if {@code dir} cannot be listed (a missing one has none)
   */
  public static int removeLeftovers(Path dir, Duration minAge, Instant now) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, AtomicFiles::isLeftoverName)) {
      for (Path p : ds) {
        try {
          BasicFileAttributes a =
              Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isDirectory()
              || a.lastModifiedTime().toInstant().isAfter(now.minus(minAge))
              || !Files.deleteIfExists(p)) {
            continue;
          }
          removed++;
          log.info("removed {}, left by a write that was interrupted", p);
        } catch (IOException e) {
          log.warn("cannot remove {}, left by an interrupted write: {}", p, e.toString());
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    return removed;
  }

  /** {@code .NAME.DIGITS.tmp}: a leading dot, a name, decimal or hex digits, {@code .tmp}. */
  static boolean isLeftoverName(Path p) {
    String n = p.getFileName().toString();
    if (n.length() < ".a.0.tmp".length() || n.charAt(0) != '.' || !n.endsWith(".tmp")) {
      return false;
    }
    int end = n.length() - ".tmp".length();
    int i = end;
    while (i > 0 && Character.digit(n.charAt(i - 1), 16) >= 0) {
      i--;
    }
    return i < end && i >= 3 && n.charAt(i - 1) == '.';
  }

  private static long randomLong() {
    return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  }

  private static Path parentOf(Path p) {
    Path parent = p.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("no parent directory: " + p);
    }
    return parent;
  }

  private static void setPermissions(Path file, Set<PosixFilePermission> perms) throws IOException {
    try {
      Files.setPosixFilePermissions(file, perms);
    } catch (UnsupportedOperationException e) {
      log.debug("no POSIX permissions on the file system of {}", file);
    }
  }

  /**
   * Makes a rename or a file creation in {@code dir} durable. Linux allows opening a directory for
   * reading and fsyncing it; other platforms may refuse, in which case the rename is still atomic,
   * only perhaps not yet durable.
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      log.debug("cannot fsync directory {} on this platform: {}", dir, e.toString());
    }
  }
}
