package org.flashflow.proto;

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
}
