package org.flashflow.proto;

/** C -> M: start the active phase of measurement {@code measId}. */
public record Go(long measId) implements Message {
  @Override
  public MsgType type() {
    return MsgType.GO;
  }
}
