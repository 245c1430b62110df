package org.flashflow.proto;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Both directions: something went wrong. {@code code} is kept as the wire integer so that codes
 * added by newer peers survive; {@link FailureCode#fromWire} names the known ones.
 */
public record Failure(int code, OptionalLong measId, Optional<String> extraInfo)
    implements Message {
  @Override
  public MsgType type() {
    return MsgType.FAILURE;
  }
}
