package org.flashflow.coord.core;

import org.flashflow.proto.Message;

/**
 * What the TLS server tells the coordinator core. Every call is made on the event loop, in order; a
 * link is announced connected once, then gets zero or more messages, then disconnected once.
 */
public interface MeasurerListener {
  /** A measurer finished its TLS handshake with a trusted certificate. */
  void measurerConnected(MeasurerLink link);

  /** A well-formed message arrived from {@code link}. */
  void measurerMessage(MeasurerLink link, Message message);

  /** The connection ended (closed by either side, or an error). */
  void measurerDisconnected(MeasurerLink link);
}
