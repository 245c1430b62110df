package org.flashflow.coord.daemon;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;

/** Unix groups named in the config, looked up once at startup so a typo stops the daemon. */
final class Groups {
  /** Debian's tor runs as this user; its group gets the bandwidth files by default. */
  static final String TOR_USER = "debian-tor";

  private static final Path PASSWD = Path.of("/etc/passwd");

  private Groups() {}

  /** {@code [section] key} as a group; empty value: none. */
  static Optional<GroupPrincipal> group(Config c, String section, String key)
      throws ConfigException {
    String name = c.string(section, key).strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(lookup(name));
    } catch (IOException e) {
      throw ConfigException.badValue(section, key, name, "an existing group (" + e + ")");
    }
  }

  /**
   * {@code [v3bw] group}: {@code none}: no group (the files stay private); empty: the primary group
   * of {@link #TOR_USER} if that user exists, else none; otherwise the named group.
   */
  static Optional<GroupPrincipal> v3bwGroup(Config c) throws ConfigException {
    String name = c.string("v3bw", "group").strip();
    if (name.equals("none")) {
      return Optional.empty();
    }
    if (name.isEmpty()) {
      return primaryGroupOf(TOR_USER, PASSWD);
    }
    return group(c, "v3bw", "group");
  }

  /**
   * The primary group of {@code user} as {@code passwd} lists it (Debian's system users are local);
   * empty if the user or the group is not there.
   */
  static Optional<GroupPrincipal> primaryGroupOf(String user, Path passwd) {
    List<String> lines;
    try {
      lines = Files.readAllLines(passwd);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      String[] f = line.split(":", -1);
      if (f.length >= 4 && f[0].equals(user)) {
        try {
          return Optional.of(lookup(f[3])); // a numeric gid is looked up as such
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static GroupPrincipal lookup(String name) throws IOException {
    try {
      return FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByGroupName(name);
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no such group");
    }
  }
}
