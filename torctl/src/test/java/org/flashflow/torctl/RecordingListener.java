package org.flashflow.torctl;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flashflow.torctl.client.TorEventListener;
import org.flashflow.torctl.model.TorEvent;

/** Collects events and losses, as a real listener would post them; tests wait with deadlines. */
public final class RecordingListener implements TorEventListener {
  public final BlockingQueue<TorEvent> events = new LinkedBlockingQueue<>();
  public final BlockingQueue<Exception> losses = new LinkedBlockingQueue<>();
  public final AtomicInteger lossCount = new AtomicInteger();

  @Override
  public void onTorEvent(TorEvent event) {
    events.add(event);
  }

  @Override
  public void onConnectionLost(Exception cause) {
    lossCount.incrementAndGet();
    losses.add(cause);
  }

  public TorEvent nextEvent() throws InterruptedException {
    TorEvent e = events.poll(5, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no tor event within 5 s");
    }
    return e;
  }

  public Exception nextLoss() throws InterruptedException {
    Exception e = losses.poll(5, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no connection loss reported within 5 s");
    }
    return e;
  }
}
