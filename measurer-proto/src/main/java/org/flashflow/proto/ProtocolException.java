package org.flashflow.proto;

/**
 * A peer sent bytes that are not a valid message. Checked, because the only right reaction (close
 * that one connection and log the peer) belongs to the caller, and it must not be forgotten. The
 * message is one short line meant for a WARN log: it names the field and may show a number, but
 * never a string the peer sent; only for invalid JSON does it quote a bounded, single-line excerpt
 * of the offending token.
 */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
