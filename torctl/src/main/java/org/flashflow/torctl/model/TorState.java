package org.flashflow.torctl.model;

/** How far a tor control connection is ({@link TorSession}); pushed to the cores on the loop. */
public enum TorState {
  /** Launching or attaching to tor, authenticating, subscribing to events. */
  CONNECTING,
  /** Connected, and tor speaks FlashFlow. */
  READY,
  /** Connected, but tor lacks the FlashFlow extensions (FF_MEAS missing from events/names). */
  NO_FLASHFLOW,
  /** The control connection is gone; CONNECTING follows after a backoff. */
  LOST
}
