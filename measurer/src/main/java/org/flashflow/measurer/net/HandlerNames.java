package org.flashflow.measurer.net;

/**
 * Names of the handlers in the measurer's pipeline to the coordinator, so that tests and log
 * readers can find a stage by name.
 */
public final class HandlerNames {
  /** TLS, trusting only {@code [measurer] coord_cert}. */
  public static final String TLS = "tls";

  /** Forwards to the measurer core; last stop for exceptions. */
  public static final String COORDINATOR = "coordinator";

  private HandlerNames() {}
}
