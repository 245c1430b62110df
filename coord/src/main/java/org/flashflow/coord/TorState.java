package org.flashflow.coord;

/** How far the coordinator's tor control connection is; pushed to the core by the tor adapter. */
public enum TorState {
  /** Launching or attaching to tor, authenticating, subscribing to events. */
  CONNECTING,
  /** Connected, and tor speaks FlashFlow: measurements may start. */
  READY,
  /** Connected, but tor lacks the FlashFlow extensions (FF_MEAS missing from events/names). */
  NO_FLASHFLOW,
  /** The control connection is gone; the adapter may reconnect (CONNECTING follows). */
  LOST
}
