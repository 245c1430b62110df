package org.flashflow.coord.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One finished measurement as the results log keeps it (docs/protocol.md section 6): the per-second
 * reports in position order, and how it ended.
 *
 * @param beginTs the coordinator's unix time (whole seconds) of the first background report, or of
 *     the failure when there was none
 * @param seconds report i at position i; empty for most failures
 * @param failure empty for a measurement that completed (END), else why it failed (FAIL)
 * @param givenBw the measurer capacity given to the measurement, bytes/s (the sum of the
 *     assignments' {@code bw}; a GIVEN line); empty when a measurer had no share (a manual {@code
 *     measure}: as fast as they can) or in a log written before GIVEN existed
 */
public record MeasurementRecord(
    long measId,
    String relayFp,
    long beginTs,
    List<Second> seconds,
    Optional<Failed> failure,
    OptionalLong givenBw) {

  public MeasurementRecord {
    Objects.requireNonNull(relayFp, "relayFp");
    seconds = List.copyOf(seconds);
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(givenBw, "givenBw");
    if (givenBw.isPresent() && givenBw.getAsLong() < 1) {
      throw new IllegalArgumentException("given capacity must be at least 1 byte/s: " + givenBw);
    }
  }

  /** A record without a given capacity. */
  public MeasurementRecord(
      long measId, String relayFp, long beginTs, List<Second> seconds, Optional<Failed> failure) {
    this(measId, relayFp, beginTs, seconds, failure, OptionalLong.empty());
  }

  /** Whether the measurement completed (an END record rather than FAIL). */
  public boolean completed() {
    return failure.isEmpty();
  }

  /**
   * One second of a measurement.
   *
   * @param measurerRecv each assigned measurer's {@code recv} bytes for this second (one MEASR line
   *     each)
   * @param claimedBg {@code min(bg_sent, bg_recv)} the relay reported (read from a log that has
   *     several BG lines in one second, which ours never has: the sum of {@code min(claimed,
   *     max_bg)} over them)
   * @param maxBg {@code floor(r * measured / (1 - r))}, the most background we believe (several BG
   *     lines in one second: the sum of their {@code max_bg})
   */
  public record Second(List<Long> measurerRecv, long claimedBg, long maxBg) {
    public Second {
      measurerRecv = List.copyOf(measurerRecv);
    }
  }

  /**
   * Why a measurement failed.
   *
   * @param detail free text for the operator (single line; may be empty)
   */
  public record Failed(FailReason reason, String detail) {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
