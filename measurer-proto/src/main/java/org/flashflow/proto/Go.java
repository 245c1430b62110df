package org.flashflow.proto;

/** C -> M: start the active phase of measurement {@code measId}. */
public record Go(long measId) implements Message {
  public Go {
    Checks.measId(measId, "measId");
  }

  @Override
  public MsgType type() {
    return MsgType.GO;
  }
}
