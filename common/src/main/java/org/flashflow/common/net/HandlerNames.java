package org.flashflow.common.net;

/**
 * Names of the handlers in every pipeline of both daemons, so that tests and log readers can find a
 * stage by name and nobody invents a second spelling.
 */
public final class HandlerNames {
  /** Measurer connection, both ends: TLS (mutual, pinned certificates). */
  public static final String TLS = "tls";

  /**
   * Coordinator's measurer pipeline: forwards to the coordinator core; last stop for exceptions.
   */
  public static final String MEASURER = "measurer";

  /** Measurer's pipeline: forwards to the measurer core; last stop for exceptions. */
  public static final String COORDINATOR = "coordinator";

  /** Control pipeline: closes connections that stay silent too long. */
  public static final String IDLE = "idle";

  /** Control pipeline: splits the byte stream into lines of at most 1 KiB. */
  public static final String LINE_FRAMER = "line-framer";

  /** Control pipeline: line bytes to a string (UTF-8). */
  public static final String STRING_DECODER = "string-decoder";

  /** Control pipeline: reply strings to bytes (UTF-8). */
  public static final String STRING_ENCODER = "string-encoder";

  /** Control pipeline: forwards lines to the command handler, keeps replies in order. */
  public static final String CONTROL = "control";

  /** Control pipeline of a connection over the limit: says so and closes. */
  public static final String REFUSE = "refuse";

  private HandlerNames() {}
}
