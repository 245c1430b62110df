package org.flashflow.coord.schedule;

import java.util.Objects;
import java.util.OptionalDouble;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurerLimit;

/** How a measurement the schedule started ended, as far as the schedule cares. */
public sealed interface Outcome {
  /**
   * A completed measurement.
   *
   * @param measured bytes/s of measurement traffic alone ({@link MeasurerLimit#measured}: median
   *     over the seconds of the measurers' summed {@code recv}). Compared with the capacity given
   *     to decide whether the result is measurer-limited: the estimate also holds background
   *     traffic, up to 1/(1-r) more, which the measurers never had to carry, so it would flag
   *     relays that were not limited.
   * @param estimate bytes/s, docs/protocol.md section 5 (for logs and status only)
   */
  record Completed(double measured, double estimate) implements Outcome {
    public Completed {
      if (!(measured >= 0) || !(estimate >= 0)) {
        throw new IllegalArgumentException("negative or NaN result " + measured + ", " + estimate);
      }
    }
  }

  /** A measurement that failed, or that the coordinator refused to start. */
  record Failed(String reason) implements Outcome {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The outcome of a record as {@code MeasurementObserver} reports it. */
  static Outcome of(MeasurementRecord record, OptionalDouble estimate) {
    if (!record.completed()) {
      MeasurementRecord.Failed f = record.failure().orElseThrow();
      return new Failed(f.reason() + (f.detail().isEmpty() ? "" : ": " + f.detail()));
    }
    if (record.seconds().isEmpty() || estimate.isEmpty()) {
      return new Failed("completed without reports");
    }
    return new Completed(MeasurerLimit.measured(record.seconds()), estimate.getAsDouble());
  }
}
