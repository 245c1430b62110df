package org.flashflow.coord.net;

/**
 * Names of the handlers in the coordinator's pipelines, so that tests and log readers can find a
 * stage by name and nobody invents a second spelling.
 */
public final class HandlerNames {
  /** Measurer pipeline: TLS (mutual, pinned certificates). */
  public static final String TLS = "tls";

  /** Measurer pipeline: forwards to the coordinator core; last stop for exceptions. */
  public static final String MEASURER = "measurer";

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
