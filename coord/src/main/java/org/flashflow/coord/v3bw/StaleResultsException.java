package org.flashflow.coord.v3bw;

/**
 * No bandwidth file was written because tor would ignore it: there is no result at all, or the
 * newest is older than tor accepts (3 days). The message says which, for the operator.
 */
public final class StaleResultsException extends Exception {
  private static final long serialVersionUID = 1L;

  public StaleResultsException(String message) {
    super(message);
  }
}
