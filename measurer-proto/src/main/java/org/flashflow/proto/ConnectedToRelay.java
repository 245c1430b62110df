package org.flashflow.proto;

/** M -> C: the measurer's circuits to the relay are built; echoes the whole request. */
public record ConnectedToRelay(ConnectToRelay orig) implements Message {
  @Override
  public MsgType type() {
    return MsgType.CONNECTED_TO_RELAY;
  }
}
