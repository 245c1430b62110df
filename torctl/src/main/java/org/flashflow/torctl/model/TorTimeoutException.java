package org.flashflow.torctl.model;

/**
 * tor did not answer a command within {@code [tor] command_timeout}. The connection is closed when
 * this happens: jtorctl pairs replies with commands in order, so a reply that never came would hand
 * every later command the previous one's answer.
 */
public final class TorTimeoutException extends TorControlException {
  private static final long serialVersionUID = 1L;

  public TorTimeoutException(String message) {
    super(message);
  }
}
