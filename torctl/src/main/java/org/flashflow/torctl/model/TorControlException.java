package org.flashflow.torctl.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tor control command or connection attempt failed. The message is meant for the operator and
 * names the tor it concerns; for an error reply it ends with tor's own line (e.g. {@code 510
 * Unrecognized command "COORD_START_MEAS"}), which callers may forward verbatim.
 */
public class TorControlException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String torReply;

  /** A failure that is not an error reply (connection, authentication setup, ...). */
  public TorControlException(String message) {
    this(message, -1, null, null);
  }

  public TorControlException(String message, Throwable cause) {
    this(message, -1, null, cause);
  }

  /**
   * @param statusCode tor's three-digit status code, or -1 when there was no error reply
   * @param torReply tor's error line, e.g. {@code 552 Unrecognized event "FF_MEAS"}, or null
   */
  public TorControlException(String message, int statusCode, String torReply, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.torReply = torReply;
  }

  /** tor's status code (e.g. 510, 552) when tor sent an error reply. */
  public OptionalInt statusCode() {
    return statusCode < 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }

  /** tor's error line verbatim, e.g. {@code 510 Unrecognized command "COORD_START_MEAS"}. */
  public Optional<String> torReply() {
    return Optional.ofNullable(torReply);
  }
}
