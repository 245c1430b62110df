package org.flashflow.measurer;

import java.util.List;
import org.flashflow.torctl.model.TorState;

/**
 * A snapshot of the measurer core, for log lines and tests; immutable, so it may leave the loop.
 *
 * @param completed measurements that reached tor's END SUCCESS=TRUE since start
 * @param failed measurements that ended otherwise (our Failure, the coordinator's, a lost link)
 */
public record MeasurerStatus(
    boolean coordConnected,
    TorState torState,
    String torDetail,
    List<MeasurementStatus> live,
    long completed,
    long failed) {

  public MeasurerStatus {
    live = List.copyOf(live);
  }

  /**
   * One live measurement.
   *
   * @param circuits circuits tor launched (0 before it answered)
   * @param built circuits BUILT and not closed since
   * @param reports BW_REPORTs forwarded to the coordinator
   */
  public record MeasurementStatus(
      long measId,
      String fp,
      MeasurementPhase phase,
      int circuits,
      int built,
      int reports,
      int dur) {}
}
