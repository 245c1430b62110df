package org.flashflow.coord.core;

import java.util.ArrayList;
import java.util.List;
import org.flashflow.proto.Message;

/** A measurer connection that records what the coordinator sends and whether it closed it. */
final class FakeLink implements MeasurerLink {
  private final String name;
  private final String address;
  final List<Message> sent = new ArrayList<>();
  String closedBecause;

  FakeLink(String name, String address) {
    this.name = name;
    this.address = address;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String remoteAddress() {
    return address;
  }

  @Override
  public void send(Message message) {
    sent.add(message);
  }

  @Override
  public void close(String reason) {
    closedBecause = reason;
  }

  <T extends Message> List<T> sent(Class<T> type) {
    return sent.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }
}
