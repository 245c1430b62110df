package org.flashflow.measurer;

import org.flashflow.proto.Message;

/**
 * The core's handle on one connection to the coordinator. A new connection is a new link, so that a
 * late message of a dead connection can be told apart. Called on the loop.
 */
public interface CoordLink {
  /** Sends {@code message}; on a closed connection it is dropped (the core then hears why). */
  void send(Message message);

  /** The coordinator's address, for log lines. */
  String remoteAddress();
}
