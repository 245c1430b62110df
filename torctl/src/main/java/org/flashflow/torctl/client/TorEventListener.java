package org.flashflow.torctl.client;

import org.flashflow.torctl.model.TorEvent;

/**
 * Receives tor's events. Both methods are called on a tor thread (jtorctl's reader thread, or the
 * thread that noticed the loss): implementations must only post the immutable argument to their own
 * executor and return at once. Blocking here stalls every command reply; calling back into the tor
 * connection from here deadlocks it for good.
 */
public interface TorEventListener {
  /** A CIRC, FF_MEAS or NEWCONSENSUS event, already parsed. Events of other circuits arrive too. */
  void onTorEvent(TorEvent event);

  /** The control connection is gone; called at most once, never after our own close(). */
  void onConnectionLost(Exception cause);
}
