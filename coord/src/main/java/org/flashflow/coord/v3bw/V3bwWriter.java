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
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.flashflow.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a rendered bandwidth file in place: {@code <v3bw>.<UTC time>} written atomically, then the
 * {@code [v3bw] v3bw} symlink repointed to it atomically. tor re-reads the file named in its torrc
 * at every vote, so at no instant may that name lead to a half-written file or to nothing. The
 * symlink is relative (just the file name) so the results directory can be moved whole.
 *
 * <p>A file's time (its name, and {@code file_created} through {@link #stamp}) never goes back:
 * when the wall clock reads earlier than the newest file's time (the one the symlink leads to, or
 * the last one written), the new file is stamped one second after it, with a WARN. Called on one
 * thread at a time (the daemon's file thread, or the offline command).
 */
public final class V3bwWriter {
  private static final Logger log = LoggerFactory.getLogger(V3bwWriter.class);
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  // tor may run as another user than flashflow; the file holds nothing secret.
  private static final Set<PosixFilePermission> PERMS =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path link;
  private Instant newest;
  private boolean newestRead;

  /**
   * @param link {@code [v3bw] v3bw}, the name tor is told to read
   */
  public V3bwWriter(Path link) {
    this.link = Objects.requireNonNull(link, "link").toAbsolutePath().normalize();
  }

  /**
   * The time to give a file made at {@code now}: {@code now} to the second, or one second after the
   * newest file's time when the clock reads earlier than that (it was stepped back).
   */
  public Instant stamp(Instant now) {
    Instant t = now.truncatedTo(ChronoUnit.SECONDS);
    if (!newestRead) {
      newestRead = true;
      newest = linkedTime().orElse(null);
    }
    if (newest != null && !t.isAfter(newest)) {
      Instant s = newest.plusSeconds(1);
      if (t.isBefore(newest)) {
        log.warn(
            "the clock reads {}, before {} of the newest bandwidth file (was it stepped back?):"
                + " stamping this one {} so that bandwidth file times never go back",
            t,
            newest,
            s);
      }
      return s;
    }
    return t;
  }

  /** The time in the name of the file the link leads to, if it leads to one of ours. */
  private Optional<Instant> linkedTime() {
    try {
      String name = Files.readSymbolicLink(link).getFileName().toString();
      String prefix = link.getFileName() + ".";
      if (name.startsWith(prefix)) {
        return Optional.of(Instant.from(SUFFIX.parse(name.substring(prefix.length()))));
      }
    } catch (IOException | UnsupportedOperationException | DateTimeParseException e) {
      log.debug("no time from the bandwidth file link {}: {}", link, e.toString());
    }
    return Optional.empty();
  }

  /**
   * Writes {@code content} to {@code <v3bw>.<now as 20261126T132900Z>} and points the link at it.
   * Pass a time from {@link #stamp}.
   *
   * @return the new file (not the link)
   */
  public Path write(String content, Instant now) throws IOException {
    Path dir = link.getParent();
    Files.createDirectories(dir);
    Path file = dir.resolve(link.getFileName() + "." + SUFFIX.format(now));
    AtomicFiles.writeAtomically(file, content.getBytes(UTF_8), PERMS);
    AtomicFiles.replaceSymlink(link, file.getFileName());
    Instant t = now.truncatedTo(ChronoUnit.SECONDS);
    if (newest == null || t.isAfter(newest)) {
      newest = t;
    }
    newestRead = true;
    log.info("bandwidth file {} written, {} points to it", file, link);
    return file;
  }
}
