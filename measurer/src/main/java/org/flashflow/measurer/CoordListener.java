package org.flashflow.measurer;

import org.flashflow.proto.Message;

/**
 * What the coordinator connection tells the core. Implemented by {@link Measurer}; called on the
 * loop by the connection's last handler.
 */
public interface CoordListener {
  /** TLS to the coordinator is up and the coordinator's certificate is the pinned one. */
  void coordConnected(CoordLink link);

  /** The connection is gone; a reconnection follows. */
  void coordDisconnected(CoordLink link);

  /** One decoded message from the coordinator. */
  void coordMessage(CoordLink link, Message message);
}
