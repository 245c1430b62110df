package org.flashflow.cli;

/**
 * A failure the operator can fix (a bad argument, a missing or existing file, an unusable setting).
 * Commands throw it to end with exit code {@value ExitCodes#USER_ERROR} and one line on stderr,
 * {@code flashflow <sub>: <message>}, with no stack trace unless {@code --debug}. The message is
 * all the operator sees, so it must say what is wrong and, where it is not obvious, what to do.
 */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
