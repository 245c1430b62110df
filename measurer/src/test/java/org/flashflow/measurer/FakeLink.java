package org.flashflow.measurer;

import java.util.ArrayList;
import java.util.List;
import org.flashflow.proto.Message;

/** A {@link CoordLink} that keeps what the core sent, in order. */
final class FakeLink implements CoordLink {
  final List<Message> sent = new ArrayList<>();
  private final String address;

  FakeLink(String address) {
    this.address = address;
  }

  @Override
  public void send(Message message) {
    sent.add(message);
  }

  @Override
  public String remoteAddress() {
    return address;
  }

  /** What was sent since the last call, and forgets it. */
  List<Message> take() {
    List<Message> out = List.copyOf(sent);
    sent.clear();
    return out;
  }
}
