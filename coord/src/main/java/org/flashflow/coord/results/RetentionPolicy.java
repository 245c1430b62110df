package org.flashflow.coord.results;

import java.time.Duration;
import java.util.Objects;

/**
 * How long rotated results logs and old bandwidth files are kept ({@code [cleanup]}): each kind is
 * gzipped once older than its {@code compress_after} and deleted once older than its {@code
 * delete_after}, ages by modification time. The defaults follow sbws (results: 29 and 57 days;
 * bandwidth files: 1 and 7 days).
 */
public record RetentionPolicy(
    Duration resultsCompressAfter,
    Duration resultsDeleteAfter,
    Duration v3bwCompressAfter,
    Duration v3bwDeleteAfter) {

  public static final RetentionPolicy DEFAULT =
      new RetentionPolicy(
          Duration.ofDays(29), Duration.ofDays(57), Duration.ofDays(1), Duration.ofDays(7));

  /**
   * @throws IllegalArgumentException naming the offending key, if a duration is not positive or a
   *     kind would be deleted no later than it is compressed
   */
  public RetentionPolicy {
    check("results", resultsCompressAfter, resultsDeleteAfter);
    check("v3bw", v3bwCompressAfter, v3bwDeleteAfter);
  }

  private static void check(String kind, Duration compressAfter, Duration deleteAfter) {
    Objects.requireNonNull(compressAfter, kind + "_compress_after");
    Objects.requireNonNull(deleteAfter, kind + "_delete_after");
    if (compressAfter.isNegative() || compressAfter.isZero()) {
      throw new IllegalArgumentException(kind + "_compress_after must be positive");
    }
    if (deleteAfter.compareTo(compressAfter) <= 0) {
      throw new IllegalArgumentException(
          kind + "_delete_after must be longer than " + kind + "_compress_after");
    }
  }
}
