package org.flashflow.bench;

import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.coord.core.MeasurerListener;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.Message;

/**
 * Sits between the real {@code MeasurerServer} and the real {@code Coordinator}: passes every call
 * on unchanged and, for each BwReport, records how long it took from the client's send (carried in
 * {@code ts}) until the coordinator had processed it, and how long the coordinator itself took.
 * Runs on the coordinator's loop; read it only from there.
 */
final class TimingListener implements MeasurerListener {
  private final MeasurerListener delegate;
  private final BenchClock clock;
  private final Loop loop;
  private final Histogram latency = new Histogram();
  private final Histogram coreTime = new Histogram();
  private boolean recording;
  private long reports;
  private int connected;

  TimingListener(MeasurerListener delegate, BenchClock clock, Loop loop) {
    this.delegate = delegate;
    this.clock = clock;
    this.loop = loop;
  }

  @Override
  public void measurerConnected(MeasurerLink link) {
    loop.checkInLoop();
    connected++;
    delegate.measurerConnected(link);
  }

  @Override
  public void measurerMessage(MeasurerLink link, Message message) {
    if (!(message instanceof BwReport r)) {
      delegate.measurerMessage(link, message);
      return;
    }
    long arrived = System.nanoTime();
    delegate.measurerMessage(link, message);
    long processed = System.nanoTime();
    reports++;
    if (recording) {
      latency.add(processed - clock.toNanos(r.ts()));
      coreTime.add(processed - arrived);
    }
  }

  @Override
  public void measurerDisconnected(MeasurerLink link) {
    loop.checkInLoop();
    connected--;
    delegate.measurerDisconnected(link);
  }

  int connected() {
    return connected;
  }

  /** Measurer BwReports processed so far. */
  long reports() {
    return reports;
  }

  /** Starts a window: forgets earlier samples. */
  void startRecording() {
    latency.clear();
    coreTime.clear();
    recording = true;
  }

  /** Ends a window. */
  void stopRecording() {
    recording = false;
  }

  Histogram latencies() {
    return latency.copy();
  }

  Histogram coreTimes() {
    return coreTime.copy();
  }
}
