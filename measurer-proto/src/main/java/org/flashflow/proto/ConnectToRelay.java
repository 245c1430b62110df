package org.flashflow.proto;

import java.util.OptionalLong;

/**
 * C -> M: connect {@code nCircs} circuits to relay {@code fp} for measurement {@code measId}.
 *
 * @param bw the share of measurement traffic (bytes/s) this measurer should provide; empty means as
 *     fast as it can
 */
public record ConnectToRelay(long measId, String fp, int nCircs, int dur, OptionalLong bw)
    implements Message {
  @Override
  public MsgType type() {
    return MsgType.CONNECT_TO_RELAY;
  }
}
