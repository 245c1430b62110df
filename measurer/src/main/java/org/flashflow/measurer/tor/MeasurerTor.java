package org.flashflow.measurer.tor;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.flashflow.common.loop.Loop;
import org.flashflow.measurer.MeasurerTorPort;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorState;
import org.flashflow.torctl.session.TorSession;

/**
 * The measurer's tor: a {@link TorSession} (attach or launch, reconnect, FlashFlow check) seen
 * through the core's {@link MeasurerTorPort}, with torctl's exceptions mapped onto the core's four
 * kinds of failure. Mirrors the coordinator's {@code TorBridge}. Called on the loop.
 */
public final class MeasurerTor implements MeasurerTorPort, AutoCloseable {
  private final TorSession session;

  /**
   * @param onState receives every state change, on the loop
   * @param onEvent receives CIRC and FF_MEAS events of the current connection, on the loop
   */
  public MeasurerTor(
      Loop loop,
      TorSession.Mode mode,
      Duration maxBackoff,
      BiConsumer<TorState, String> onState,
      Consumer<TorEvent> onEvent) {
    this.session = new TorSession(loop, mode, maxBackoff, onState, onEvent);
  }

  /** Starts connecting (on the loop); state changes follow. */
  public void start() {
    session.start();
  }

  /** Where tor is, for log messages. */
  public String where() {
    return session.where();
  }

  @Override
  public void measrStartMeas(
      long measId,
      String relayFp,
      int nCircs,
      int dur,
      OptionalLong bw,
      TorCallback<List<Long>> circIds) {
    session.call(t -> t.measrStartMeas(measId, relayFp, nCircs, dur, bw), circIds);
  }

  @Override
  public void measrStartMeasActive(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw, TorCallback<Void> done) {
    session.call(t -> t.measrStartMeasActive(measId, relayFp, nCircs, dur, bw), done);
  }

  /** Stops reconnecting, closes the control connection and stops a tor we launched. */
  @Override
  public void close() {
    session.close();
  }
}
