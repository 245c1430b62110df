package org.flashflow.coord.core;

/**
 * The answer to a request to start a measurement. Exactly one method is called, on the loop: the
 * operator wants to know whether the measurement got going, not wait for its end (that is what
 * {@link MeasurementObserver} is for).
 */
public interface StartCallback {
  /** tor accepted the first {@code COORD_START_MEAS}: the measurement is under way. */
  void started(long measId, String relayFp);

  /** The measurement did not start; {@code reason} is a sentence for the operator. */
  void refused(String reason);
}
