package org.flashflow.coord.schedule;

import java.util.Objects;
import org.flashflow.coord.core.MeasurementRequest;

/**
 * A measurement to start now: hand {@code request} to {@code Coordinator.startMeasurement}, and
 * report how it ends with {@link Planner#ended} (or {@link Planner#refused}).
 *
 * @param given the measurer capacity the relay gets, bytes/s (sum of the assignments' {@code bw})
 * @param slot the slot it was planned in (earlier than now's slot when catching up)
 */
public record Start(MeasurementRequest request, long given, Planner.Kind kind, int slot) {
  public Start {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(kind, "kind");
  }

  public String relayFp() {
    return request.relayFp();
  }
}
