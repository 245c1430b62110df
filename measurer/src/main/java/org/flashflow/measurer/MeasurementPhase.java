package org.flashflow.measurer;

/** Where one measurement is on the measurer's side (docs/protocol.md section 4, steps 3 to 5). */
public enum MeasurementPhase {
  /** The first MEASR_START_MEAS is out; waiting for tor's circuit ids. */
  LAUNCHING,
  /** Waiting for the launched circuits to be BUILT (or to fail). */
  BUILDING,
  /** ConnectedToRelay sent; waiting for Go. */
  READY,
  /** Go received; the second MEASR_START_MEAS is out. */
  STARTING_ACTIVE,
  /** tor confirmed the active phase; BW_REPORTs are forwarded until END. */
  ACTIVE
}
