package org.flashflow.coord.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The control cookie ({@code [coord] ctrl_cookie_file}): 32 random bytes, made anew at each start
 * so that a cookie read once is worth nothing after a restart. Mode 0640 with {@code ctrl_group},
 * so that the operators' group can read it, set before the file gets its name: nobody ever sees it
 * with other permissions or half written.
 */
public final class CookieFile {
  public static final int COOKIE_BYTES = 32;

  private CookieFile() {}

  /**
   * Writes a fresh cookie to {@code file} (atomically replacing an old one) and returns it.
   *
   * @param group the file's group; empty: the daemon's (as the file is created)
   * @throws IOException "cannot write the control cookie file ...: reason"
   */
  public static byte[] create(Path file, Optional<GroupPrincipal> group, SecureRandom random)
      throws IOException {
    byte[] cookie = new byte[COOKIE_BYTES];
    random.nextBytes(cookie);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp =
          Files.createTempFile(
              dir,
              "." + file.getFileName() + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(cookie);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      if (group.isPresent()) {
        view.setGroup(group.get());
      }
      // Explicitly, after the group: the umask (systemd's UMask=0077, say) must not narrow it.
      view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
      throw new IOException(
          "cannot write the control cookie file " + file + " ([coord] ctrl_cookie_file): " + e, e);
    }
    return cookie;
  }

  /**
   * The {@code auth} line for the cookie in {@code file}, as {@code flashflow ctrl} sends it.
   *
   * @throws IOException when the file cannot be read or is not a cookie
   */
  public static String authLine(Path file) throws IOException {
    byte[] cookie = Files.readAllBytes(file);
    if (cookie.length != COOKIE_BYTES) {
      throw new IOException(
          file + " has " + cookie.length + " bytes, not a control cookie (" + COOKIE_BYTES + ")");
    }
    return "auth " + HexFormat.of().formatHex(cookie);
  }
}
