package org.flashflow.proto;

import java.util.Objects;

/** M -> C: the measurer's circuits to the relay are built; echoes the whole request. */
public record ConnectedToRelay(ConnectToRelay orig) implements Message {
  public ConnectedToRelay {
    Objects.requireNonNull(orig, "orig");
  }

  @Override
  public MsgType type() {
    return MsgType.CONNECTED_TO_RELAY;
  }
}
