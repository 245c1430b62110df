package org.flashflow.coord.control;

import java.util.List;

/** Where the answer to one control-socket command goes. Called on the event loop. */
public interface ControlReply {
  /** Writes {@code lines} (the last starts with {@code OK} or {@code ERR}) and flushes. */
  void send(List<String> lines);

  /** Closes the control connection once what was sent is flushed ({@code quit}). */
  void close();
}
