package org.flashflow.torctl.model;

/**
 * The control connection is gone (tor closed it, the socket failed, a command timed out, or we
 * closed it); the command did not complete and every later command fails the same way. There is no
 * reconnect: make a new connection.
 */
public final class TorConnectionLostException extends TorControlException {
  private static final long serialVersionUID = 1L;

  public TorConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
