package org.flashflow.common.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
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
