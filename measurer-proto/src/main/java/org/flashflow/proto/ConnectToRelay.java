package org.flashflow.proto;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * C -> M: connect {@code nCircs} circuits to relay {@code fp} for measurement {@code measId}.
 *
 * @param fp the relay fingerprint; lower-case hex is accepted and stored in upper case, so that
 *     fingerprints compare equal however a peer spelled them
 * @param bw the share of measurement traffic (bytes/s) this measurer should provide; empty means as
 *     fast as it can
 */
public record ConnectToRelay(long measId, String fp, int nCircs, int dur, OptionalLong bw)
    implements Message {
  public ConnectToRelay {
    Checks.measId(measId, "measId");
    fp = Checks.fingerprint(fp, "fp");
    Checks.atLeast(nCircs, 1, "nCircs");
    Checks.atLeast(dur, 1, "dur");
    Objects.requireNonNull(bw, "bw");
    if (bw.isPresent()) {
      Checks.atLeast(bw.getAsLong(), 1, "bw");
    }
  }

  @Override
  public MsgType type() {
    return MsgType.CONNECT_TO_RELAY;
  }
}
