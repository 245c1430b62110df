package org.flashflow.coord.core;

import org.flashflow.proto.Message;

/**
 * The coordinator's handle on one connected, authenticated measurer. Implemented by the TLS server
 * ({@code coord.measurer}); the core never sees a channel. Methods are called on the event loop.
 */
public interface MeasurerLink {
  /** The measurer's name: the {@code O=} of its certificate subject. */
  String name();

  /** The peer address, for log lines. */
  String remoteAddress();

  /** Sends one message (encoded and flushed by the pipeline). */
  void send(Message message);

  /** Closes the connection; {@link MeasurerListener#measurerDisconnected} follows. */
  void close(String reason);
}
