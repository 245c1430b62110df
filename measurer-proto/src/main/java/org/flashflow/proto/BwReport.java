package org.flashflow.proto;

/**
 * M -> C: bytes of measurement traffic in the last second.
 *
 * @param ts the measurer's unix time in seconds (informational: reports are indexed by position)
 */
public record BwReport(long measId, double ts, long sent, long recv) implements Message {
  @Override
  public MsgType type() {
    return MsgType.BW_REPORT;
  }
}
