package org.flashflow.measurer;

/** The core's view of the measurer's tor control connection. */
public enum TorState {
  /** Launching or attaching to tor; measurements are refused. */
  CONNECTING,
  /** Connected, and tor speaks FlashFlow. */
  READY,
  /** Connected, but tor lacks the FlashFlow extensions; measurements are refused. */
  NO_FLASHFLOW,
  /** The control connection is gone; a reconnection follows. */
  LOST
}
