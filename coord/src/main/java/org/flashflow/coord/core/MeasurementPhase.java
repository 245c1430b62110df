package org.flashflow.coord.core;

/** Where a live measurement is in docs/protocol.md section 4; shown by {@code status}. */
public enum MeasurementPhase {
  /** First COORD_START_MEAS sent, waiting for tor's {@code LAUNCHED <circ>}. */
  LAUNCHING,
  /** Circuit launched, waiting for the relay's PARAMS_OK. */
  WAITING_FOR_RELAY,
  /** ConnectToRelay sent, waiting for every measurer's ConnectedToRelay. */
  CONNECTING_MEASURERS,
  /** Second COORD_START_MEAS sent, waiting for tor's OK before Go. */
  STARTING_ACTIVE,
  /** Go sent; collecting reports. */
  ACTIVE,
  /** Ended (completed or failed); waiting for the results log to make the record durable. */
  FINISHING
}
