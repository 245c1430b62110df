package org.flashflow.proto;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Both directions: something went wrong. {@code code} is kept as the wire integer so that codes
 * added by newer peers survive; {@link FailureCode#fromWire} names the known ones.
 *
 * @param measId empty when the failure is not about one measurement (null on the wire)
 * @param extraInfo free text for the log; empty is null on the wire
 */
public record Failure(int code, OptionalLong measId, Optional<String> extraInfo)
    implements Message {
  public Failure {
    Checks.atLeast(code, 1, "code");
    Objects.requireNonNull(measId, "measId");
    if (measId.isPresent()) {
      Checks.measId(measId.getAsLong(), "measId");
    }
    Objects.requireNonNull(extraInfo, "extraInfo");
  }

  @Override
  public MsgType type() {
    return MsgType.FAILURE;
  }
}
