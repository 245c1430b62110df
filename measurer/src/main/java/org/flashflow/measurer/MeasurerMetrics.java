package org.flashflow.measurer;

import org.flashflow.torctl.model.TorState;

/**
 * Where the measurer core records what an operator graphs (docs/operations.md, "Metrics"). A port,
 * so that the core knows no metrics library; every method is called on the loop, must be cheap, and
 * defaults to doing nothing.
 */
public interface MeasurerMetrics {
  /** Records nothing. */
  MeasurerMetrics NONE = new MeasurerMetrics() {};

  /** Whether the TLS connection to the coordinator is up. */
  default void coordConnected(boolean connected) {}

  /** The measurer's tor connection is now {@code state}. */
  default void torState(TorState state) {}

  /** The coordinator asked for a measurement and it began. */
  default void measurementStarted() {}

  /**
   * A measurement ended (or was refused at once: {@code completed} false).
   *
   * @param completed tor ended it with success
   */
  default void measurementEnded(boolean completed) {}

  /** One second's report went to the coordinator: what tor counted on the circuits. */
  default void reported(long sentBytes, long receivedBytes) {}
}
