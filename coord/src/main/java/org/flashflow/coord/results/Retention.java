package org.flashflow.coord.results;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which files to compress or delete, decided from names and modification times alone (pure, so
 * every rule is a table test); {@link ResultsCleanup} does the I/O.
 *
 * <p>Only two shapes of name are ever touched: rotated results logs {@code <results_log>.N} and
 * {@code <results_log>.N.gz}, and bandwidth files {@code <v3bw>.<yyyyMMdd'T'HHmmss'Z'>} and their
 * {@code .gz}. Never the live log, the {@code v3bw} symlink, the file the symlink points to, nor
 * anything else (temporary files, logrotate's dateext names, an operator's notes). A file is
 * deleted once older than the kind's {@code delete_after}; otherwise an uncompressed one is gzipped
 * once older than {@code compress_after}, unless its {@code .gz} already exists (then it is left
 * for the operator: overwriting could lose records).
 */
public final class Retention {
  private static final String GZ = ".gz";
  private static final Pattern ROTATION = Pattern.compile("\\.[0-9]{1,9}(\\.gz)?");
  private static final Pattern TIMESTAMP = Pattern.compile("\\.[0-9]{8}T[0-9]{6}Z(\\.gz)?");

  private Retention() {}

  /** A regular file in a directory being cleaned: its path and modification time. */
  public record FileEntry(Path path, Instant modified) {
    public FileEntry {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(modified, "modified");
    }

    String name() {
      return path.getFileName().toString();
    }
  }

  /** One thing to do. */
  public sealed interface Action {
    Path path();
  }

  /** Gzip {@code path} to {@code path.gz} and remove {@code path}. */
  public record Compress(Path path) implements Action {}

  /** Delete {@code path}. */
  public record Delete(Path path) implements Action {}

  /**
   * The rotated results logs in {@code files} to compress or delete.
   *
   * @param files the regular files in the results log's directory
   * @param logName the live log's file name ({@code results.log}), never touched
   */
  public static List<Action> results(
      List<FileEntry> files, String logName, Instant now, RetentionPolicy policy) {
    return plan(
        files,
        logName,
        ROTATION,
        Optional.empty(),
        now,
        policy.resultsCompressAfter(),
        policy.resultsDeleteAfter());
  }

  /**
   * The old bandwidth files in {@code files} to compress or delete.
   *
   * @param files the regular files in the {@code v3bw} symlink's directory
   * @param linkName the symlink's file name ({@code v3bw})
   * @param current the file name the symlink points to now, if any; never touched
   */
  public static List<Action> v3bw(
      List<FileEntry> files,
      String linkName,
      Optional<String> current,
      Instant now,
      RetentionPolicy policy) {
    return plan(
        files,
        linkName,
        TIMESTAMP,
        current,
        now,
        policy.v3bwCompressAfter(),
        policy.v3bwDeleteAfter());
  }

  private static List<Action> plan(
      List<FileEntry> files,
      String base,
      Pattern suffix,
      Optional<String> keep,
      Instant now,
      Duration compressAfter,
      Duration deleteAfter) {
    Set<String> names = new HashSet<>();
    files.forEach(f -> names.add(f.name()));
    List<Action> actions = new ArrayList<>();
    for (FileEntry f : files) {
      String name = f.name();
      if (!name.startsWith(base)
          || !suffix.matcher(name.substring(base.length())).matches()
          || keep.filter(name::equals).isPresent()) {
        continue;
      }
      Duration age = Duration.between(f.modified(), now);
      if (age.compareTo(deleteAfter) >= 0) {
        actions.add(new Delete(f.path()));
      } else if (age.compareTo(compressAfter) >= 0
          && !name.endsWith(GZ)
          && !names.contains(name + GZ)) {
        actions.add(new Compress(f.path()));
      }
    }
    return actions;
  }
}
