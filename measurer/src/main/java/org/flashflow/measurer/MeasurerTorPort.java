package org.flashflow.measurer;

import java.util.List;
import java.util.OptionalLong;
import org.flashflow.torctl.model.TorCallback;

/**
 * The tor commands the measurer core needs, asynchronous so that the loop never waits on tor.
 * Implemented by {@code measurer.tor}, which runs the blocking control-protocol calls on its own
 * thread with a timeout and delivers every completion on the loop. State changes and events go the
 * other way, into {@link Measurer#torStateChanged} and {@link Measurer#torEvent}. Called on the
 * loop.
 */
public interface MeasurerTorPort {
  /**
   * The first {@code MEASR_START_MEAS}: tor launches {@code nCircs} circuits to the relay.
   *
   * @param bw the measurer's share in bytes/s ({@code BW=}), empty for as fast as it can
   * @param circIds completes with the ids of {@code 250 FF_MEAS <id> LAUNCHED CIRCS=...}
   */
  void measrStartMeas(
      long measId,
      String relayFp,
      int nCircs,
      int dur,
      OptionalLong bw,
      TorCallback<List<Long>> circIds);

  /**
   * The second {@code MEASR_START_MEAS}: starts the active phase.
   *
   * @param nCircs the number of circuits that were built
   */
  void measrStartMeasActive(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw, TorCallback<Void> done);
}
