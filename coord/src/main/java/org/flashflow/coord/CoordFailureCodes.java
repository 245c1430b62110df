package org.flashflow.coord;

/**
 * Failure codes the coordinator sends that protocol.md section 2 does not define (new codes start
 * at 7 there; never renumber). Kept as wire integers next to {@code FailureCode} until the proto
 * module adopts them.
 */
public final class CoordFailureCodes {
  /**
   * The coordinator ended the measurement (a deadline passed, another participant failed or
   * disconnected, tor refused or ended it, shutdown). {@code extra_info} is {@code <REASON>:
   * <detail>} with the results-log reason.
   */
  public static final int C_MEAS_ABORTED = 7;

  private CoordFailureCodes() {}
}
