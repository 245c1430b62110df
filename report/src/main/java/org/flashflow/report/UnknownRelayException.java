package org.flashflow.report;

/** The relay chosen with {@code --relay} has no completed measurement in the results log. */
public final class UnknownRelayException extends Exception {
  private static final long serialVersionUID = 1L;

  UnknownRelayException(String message) {
    super(message);
  }
}
