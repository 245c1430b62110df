package org.flashflow.torctl.client;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import net.freehaven.tor.control.EventHandler;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one jtorctl {@link EventHandler} of a connection. Runs on jtorctl's reader thread, so every
 * method catches everything (an exception would kill that thread and hang every later command) and
 * never calls back into jtorctl (that would deadlock the connection). It turns raw event text into
 * immutable {@link TorEvent}s and reports the connection's loss once.
 */
final class EventBridge implements EventHandler {
  private static final Logger log = LoggerFactory.getLogger(EventBridge.class);

  private final String where;
  private final TorEventListener listener;
  private boolean armed;
  private boolean lost;
  private boolean closing;
  private Exception lostCause;

  EventBridge(String where, TorEventListener listener) {
    this.where = where;
    this.listener = listener;
  }

  /** From now on a loss is reported to the listener (before, the connect call reports it). */
  void arm() {
    Exception cause;
    synchronized (this) {
      armed = true;
      if (!lost || closing) {
        return;
      }
      cause = lostCause;
    }
    notifyLost(cause);
  }

  /** Our own close() is coming: the resulting loss is not news to anyone. */
  synchronized void markClosing() {
    closing = true;
  }

  synchronized boolean isLost() {
    return lost;
  }

  /** jtorctl's reader thread stopped, for whatever reason. */
  void readerExited(IOException cause) {
    lose(cause);
  }

  private void lose(Exception cause) {
    synchronized (this) {
      if (lost) {
        return;
      }
      lost = true;
      lostCause = cause;
      if (!armed || closing) {
        return;
      }
    }
    notifyLost(cause);
  }

  private void notifyLost(Exception cause) {
    log.warn("lost control connection to tor at {}: {}", where, cause.toString());
    try {
      listener.onConnectionLost(cause);
    } catch (RuntimeException | Error e) {
      log.error("tor at {}: listener failed on connection loss", where, e);
    }
  }

  /**
   * Every event arrives here raw (see {@code FlashFlowControlConnection.handleEvent}), CIRC
   * included, so that {@code REASON=} and path-less FAILED circuits are parsed correctly.
   */
  @Override
  public void unrecognized(String type, String rest) {
    try {
      if (!TorEvents.isKnownType(type)) {
        log.debug("tor at {}: ignoring event {} {}", where, type, rest);
        return;
      }
      Optional<TorEvent> event = TorEvents.parse(type, rest);
      if (event.isEmpty()) {
        log.warn("tor at {}: dropping malformed event line: 650 {} {}", where, type, rest);
        return;
      }
      listener.onTorEvent(event.get());
    } catch (RuntimeException | Error e) {
      log.error("tor at {}: failed to handle event {} {}", where, type, rest, e);
    }
  }

  /** Not called by our connection class; kept correct in case jtorctl parses CIRC itself. */
  @Override
  public void circuitStatus(String status, String circId, String path) {
    unrecognized("CIRC", circId + " " + status + (path.isEmpty() ? "" : " " + path));
  }

  @Override
  public void controlConnectionClosed() {
    try {
      lose(new EOFException("tor closed the control connection"));
    } catch (RuntimeException | Error e) {
      log.error("tor at {}: failed to report connection loss", where, e);
    }
  }

  @Override
  public void streamStatus(String status, String streamId, String target) {}

  @Override
  public void orConnStatus(String status, String orName) {}

  @Override
  public void bandwidthUsed(long read, long written) {}

  @Override
  public void newDescriptors(List<String> orList) {}

  @Override
  public void message(String severity, String msg) {}
}
