package org.flashflow.coord.core;

import java.util.OptionalDouble;

/**
 * Told about every measurement that ended (the schedule frees its slot, tests check the outcome).
 * Called on the loop once the record is durable and the core has forgotten the measurement.
 */
@FunctionalInterface
public interface MeasurementObserver {
  /**
   * Called once per measurement.
   *
   * @param estimate bytes/s (docs/protocol.md section 5) for a completed measurement; empty for a
   *     failed one
   */
  void measurementEnded(MeasurementRecord record, OptionalDouble estimate);

  /** An observer that ignores everything. */
  static MeasurementObserver none() {
    return (record, estimate) -> {};
  }
}
