package org.flashflow.torctl.model;

/**
 * tor answered with success but in a form we cannot read (e.g. {@code 250 LAUNCHED} without a
 * circuit id). Kept apart from error replies because the measurer reports it as {@code
 * MALFORMED_TOR_RESP}, not as a failure to launch circuits.
 */
public final class MalformedTorReplyException extends TorControlException {
  private static final long serialVersionUID = 1L;

  public MalformedTorReplyException(String message) {
    super(message);
  }
}
