package org.flashflow.coord.schedule;

import java.io.IOException;
import java.util.Map;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * What the results log says about measurements that the state file still holds as running. A
 * coordinator killed after a measurement's record was made durable and before the state file was
 * saved again restarts with the relay running; without this it would measure the relay a second
 * time in the period. Blocking: called on the I/O executor only.
 */
@FunctionalInterface
public interface LoggedOutcomes {
  /** Finds nothing: every running relay is planned again (tests that have no results log). */
  LoggedOutcomes NONE = since -> Map.of();

  /**
   * Per relay of {@code beganSince} (fingerprint to unix seconds), the newest measurement of that
   * relay in the results log that began at or after those seconds; relays with none are left out.
   *
   * @throws IOException if the log cannot be read
   */
  Map<String, MeasurementRecord> newestSince(Map<String, Long> beganSince) throws IOException;
}
