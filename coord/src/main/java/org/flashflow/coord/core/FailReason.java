package org.flashflow.coord.core;

/** The {@code <REASON>} token of a results-log FAIL record (docs/protocol.md section 6). */
public enum FailReason {
  /** The relay answered PARAMS_OK ACCEPTED=FALSE. */
  RELAY_REFUSED,
  /** The coordinator's circuit to the relay FAILED or CLOSED before the end. */
  CIRC_FAILED,
  /** The coordinator's tor answered a command with an error. */
  TOR_ERROR,
  /** The coordinator's tor did not answer a command in time. */
  TOR_TIMEOUT,
  /** The coordinator lost its tor control connection. */
  TOR_LOST,
  /** The coordinator's tor ended the measurement (FF_MEAS END SUCCESS=FALSE, or early). */
  TOR_ENDED,
  /** A measurer sent a Failure message. */
  MEASURER_FAILED,
  /**
   * A measurer's connection closed (or was replaced by a new one with the same name), or the
   * coordinator closed it because the measurer missed a deadline (did not answer ConnectToRelay or
   * Go, or went silent alone in the active phase).
   */
  MEASURER_LOST,
  /** A phase deadline passed (the relay did not accept in time, or the whole active phase). */
  TIMEOUT,
  /**
   * Reports stopped arriving during the active phase: the relay's, or a measurer's while the others
   * stopped too (a measurer silent alone is MEASURER_LOST).
   */
  REPORTS_STOPPED,
  /** The coordinator shut down while the measurement was live. */
  SHUTDOWN
}
