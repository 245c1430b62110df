package org.flashflow.coord.v3bw;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;
import org.flashflow.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a rendered bandwidth file in place: {@code <v3bw>.<UTC time>} written atomically, then the
 * {@code [v3bw] v3bw} symlink repointed to it atomically. tor re-reads the file named in its torrc
 * at every vote, so at no instant may that name lead to a half-written file or to nothing. The
 * symlink is relative (just the file name) so the results directory can be moved whole.
 */
public final class V3bwWriter {
  private static final Logger log = LoggerFactory.getLogger(V3bwWriter.class);
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  // tor may run as another user than flashflow; the file holds nothing secret.
  private static final Set<PosixFilePermission> PERMS =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path link;

  /**
   * @param link {@code [v3bw] v3bw}, the name tor is told to read
   */
  public V3bwWriter(Path link) {
    this.link = Objects.requireNonNull(link, "link").toAbsolutePath().normalize();
  }

  /**
   * Writes {@code content} to {@code <v3bw>.<now as 20261126T132900Z>} and points the link at it.
   *
   * @return the new file (not the link)
   */
  public Path write(String content, Instant now) throws IOException {
    Path dir = link.getParent();
    Files.createDirectories(dir);
    Path file = dir.resolve(link.getFileName() + "." + SUFFIX.format(now));
    AtomicFiles.writeAtomically(file, content.getBytes(UTF_8), PERMS);
    AtomicFiles.replaceSymlink(link, file.getFileName());
    log.info("bandwidth file {} written, {} points to it", file, link);
    return file;
  }
}
