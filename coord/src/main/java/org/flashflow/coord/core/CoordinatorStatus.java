package org.flashflow.coord.core;

import java.util.List;
import java.util.Objects;
import org.flashflow.torctl.model.TorState;

/**
 * An immutable snapshot of the core for {@code status}: safe to hand to any thread, since it shares
 * nothing with the state it was taken from.
 */
public record CoordinatorStatus(
    TorState torState,
    String torDetail,
    List<MeasurerStatus> measurers,
    List<MeasurementStatus> measurements,
    long completed,
    long failed) {

  public CoordinatorStatus {
    Objects.requireNonNull(torState, "torState");
    Objects.requireNonNull(torDetail, "torDetail");
    measurers = List.copyOf(measurers);
    measurements = List.copyOf(measurements);
  }

  /** One connected measurer. */
  public record MeasurerStatus(String name, String address, int liveMeasurements) {}

  /**
   * One measurement the core still holds.
   *
   * @param secondsDone positions for which every source (background and each measurer) reported
   */
  public record MeasurementStatus(
      long measId,
      String relayFp,
      MeasurementPhase phase,
      int secondsDone,
      int dur,
      List<String> measurers) {
    public MeasurementStatus {
      measurers = List.copyOf(measurers);
    }
  }
}
