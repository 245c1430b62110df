package org.flashflow.proto;

import java.util.Optional;

/** The {@code msg_type} wire tags, fixed by the reference implementation. */
public enum MsgType {
  CONNECT_TO_RELAY(357),
  CONNECTED_TO_RELAY(78612),
  FAILURE(62424),
  GO(1089),
  BW_REPORT(-289);

  private final int wireValue;

  MsgType(int wireValue) {
    this.wireValue = wireValue;
  }

  public int wireValue() {
    return wireValue;
  }

  /** The type with this wire tag; empty for a tag this version does not know. */
  public static Optional<MsgType> fromWire(int wireValue) {
    for (MsgType t : values()) {
      if (t.wireValue == wireValue) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
