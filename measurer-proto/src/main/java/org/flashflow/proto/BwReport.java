package org.flashflow.proto;

/**
 * M -> C: bytes of measurement traffic in the last second.
 *
 * @param ts the measurer's unix time in seconds (informational: reports are indexed by position)
 * @param sent bytes sent; a negative count can only be a bug or a lie, so it is refused here rather
 *     than poisoning the estimate
 */
public record BwReport(long measId, double ts, long sent, long recv) implements Message {
  public BwReport {
    Checks.measId(measId, "measId");
    Checks.finite(ts, "ts");
    Checks.nonNegative(sent, "sent");
    Checks.nonNegative(recv, "recv");
  }

  @Override
  public MsgType type() {
    return MsgType.BW_REPORT;
  }
}
