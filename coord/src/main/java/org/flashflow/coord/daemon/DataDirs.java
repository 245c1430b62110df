package org.flashflow.coord.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flashflow.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's directories and who may enter them. Keys, results and state stay the daemon's
 * alone (0700 directories, 0600 files); the bandwidth files live in a directory of their own, mode
 * 0750 with {@code [v3bw] group}, so that an authority's tor (user debian-tor) can read them.
 *
 * <p>For that group to reach the bandwidth directory inside {@code datadir}, the data directory is
 * 0711: anyone may pass through it, nobody but the daemon may list it, and each entry keeps its own
 * mode (keys/ and results/ 0700, state and consensus files 0600, the control cookie 0640). A single
 * group on {@code datadir} (0710) would not do: the cookie's operators and tor are different
 * groups.
 */
final class DataDirs {
  private static final Logger log = LoggerFactory.getLogger(DataDirs.class);

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SHARED =
      PosixFilePermissions.fromString("rwxr-x---");

  /** A temporary file this old is no write under way (one takes milliseconds). */
  static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

  private DataDirs() {}

  /** Creates (or fixes) every directory the coordinator writes to. */
  static void create(CoordConfig config) throws IOException {
    Path datadir = config.datadir().toAbsolutePath().normalize();
    Path v3bwDir = config.v3bw().toAbsolutePath().normalize().getParent();
    Optional<GroupPrincipal> group = config.v3bwGroup();
    List<Path> privateDirs =
        List.of(
            datadir,
            config.keydir().toAbsolutePath().normalize(),
            config.resultsdir().toAbsolutePath().normalize());
    boolean shared = group.isPresent();
    if (shared && privateDirs.contains(v3bwDir)) {
      log.warn(
          "[v3bw] v3bw = {} is in {}, which stays private: give the bandwidth files a directory of"
              + " their own (the default is ${{coord:datadir}}/v3bw/v3bw) for group {} to read them",
          config.v3bw(),
          v3bwDir,
          group.get().getName());
      shared = false;
    }
    boolean traverse =
        shared && v3bwDir.startsWith(datadir)
            || config.control().group().isPresent()
                && config.control().cookieFile().toAbsolutePath().normalize().startsWith(datadir);
    createDirectory(datadir, traverse ? PosixFilePermissions.fromString("rwx--x--x") : PRIVATE);
    if (traverse) {
      allowTraversal(datadir);
    }
    for (Path dir : privateDirs.subList(1, privateDirs.size())) {
      createDirectory(dir, PRIVATE);
    }
    if (!shared) {
      createDirectory(v3bwDir, PRIVATE);
      return;
    }
    createDirectory(v3bwDir, SHARED);
    PosixFileAttributeView view = Files.getFileAttributeView(v3bwDir, PosixFileAttributeView.class);
    view.setGroup(group.get());
    view.setPermissions(SHARED);
    log.info("bandwidth files in {} are readable by group {}", v3bwDir, group.get().getName());
    warnUnlessTraversable(v3bwDir, group.get());
  }

  /**
   * Removes the temporary files that writes interrupted by a crash or {@code kill -9} left in the
   * directories the coordinator writes atomically to (state file, bandwidth files and symlink,
   * consensus, cookie, compressed rotations): without this each kill during a write would leave one
   * for good.
   */
  static void removeLeftovers(CoordConfig config, Instant now) {
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(config.datadir().toAbsolutePath().normalize());
    dirs.add(config.resultsdir().toAbsolutePath().normalize());
    dirs.add(parent(config.v3bw()));
    dirs.add(parent(config.schedule().stateFile()));
    dirs.add(parent(config.control().cookieFile()));
    for (Path dir : dirs) {
      try {
        AtomicFiles.removeLeftovers(dir, LEFTOVER_AGE, now);
      } catch (IOException e) {
        log.warn("cannot look for leftover temporary files in {}: {}", dir, e.toString());
      }
    }
  }

  private static Path parent(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return abs.getParent() == null ? abs : abs.getParent();
  }

  private static void createDirectory(Path dir, Set<PosixFilePermission> mode) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, mode);
    }
  }

  /** Adds o+x to a data directory made 0700 by an earlier version, if it is the daemon's own. */
  private static void allowTraversal(Path dir) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
      return;
    }
    try {
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(dir, perms);
      log.info("{} is now {} so that the bandwidth files' group can pass through it", dir, perms);
    } catch (IOException e) {
      log.warn("cannot let others pass through {}: {}", dir, e.toString());
    }
  }

  /** Warns naming the first directory above {@code dir} that {@code group} cannot pass. */
  private static void warnUnlessTraversable(Path dir, GroupPrincipal group) throws IOException {
    Object gid = Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      boolean others = (mode & 0001) != 0;
      boolean byGroup = (mode & 0010) != 0 && gid.equals(Files.getAttribute(p, "unix:gid"));
      if (!others && !byGroup) {
        log.warn(
            "group {} cannot pass through {} (mode {}), so it cannot read the bandwidth files in"
                + " {}: chmod o+x (or g+x with that group) {}",
            group.getName(),
            p,
            Integer.toOctalString(mode & 07777),
            dir,
            p);
        return;
      }
    }
  }
}
