package org.flashflow.coord.measurer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.coord.core.MeasurerListener;
import org.flashflow.proto.Message;

/** Records every listener call, in order, for tests on the loop thread or with EmbeddedChannel. */
class RecordingListener implements MeasurerListener {
  /** One listener call. {@code message} is null except for messages. */
  record Event(String kind, MeasurerLink link, Message message) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> all = new ArrayList<>();

  @Override
  public void measurerConnected(MeasurerLink link) {
    add(new Event("connected", link, null));
  }

  @Override
  public void measurerMessage(MeasurerLink link, Message message) {
    add(new Event("message", link, message));
  }

  @Override
  public void measurerDisconnected(MeasurerLink link) {
    add(new Event("disconnected", link, null));
  }

  private synchronized void add(Event e) {
    all.add(e);
    events.add(e);
  }

  /** Every event so far, in order. */
  synchronized List<Event> all() {
    return List.copyOf(all);
  }

  /** The next event not yet taken, waiting up to 10 s; fails the test if none comes. */
  Event next() throws InterruptedException {
    return next(Duration.ofSeconds(10));
  }

  /** The next event not yet taken, waiting up to {@code timeout}; fails the test if none comes. */
  Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError(
          "no listener event within " + timeout.toMillis() + " ms; so far: " + all());
    }
    return e;
  }
}
