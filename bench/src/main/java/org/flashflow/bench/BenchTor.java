package org.flashflow.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.core.TorPort;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorEvent;

/**
 * The one fake of the coordinator load harness: a FlashFlow-capable tor that answers every command
 * at once and plays the relay's part. Like the real tor bridge, it hands every answer and event to
 * the loop with {@code loop.execute}, one task each. After the first COORD_START_MEAS it reports
 * the circuit BUILT, PARAMS_SENT and PARAMS_OK ACCEPTED=TRUE; after the second it delivers {@code
 * dur} background BW_REPORTs, at once or one per {@code intervalNanos} (timed on {@code timers}, a
 * thread other than the loop, as jtorctl's reader thread would be), then END SUCCESS=TRUE and CIRC
 * CLOSED.
 */
final class BenchTor implements TorPort {
  static final long BG_BYTES = 1_000_000;

  private final Loop loop;
  private final ScheduledExecutorService timers;
  private final long intervalNanos;
  private Coordinator coordinator;

  /** meas_id to circuit id, for CIRC CLOSED at the end. */
  private final Map<Long, Long> circs = new HashMap<>();

  private long nextCirc = 1;
  private long bgEvents;

  /**
   * @param intervalNanos between background reports of one measurement; 0 for all at once
   */
  BenchTor(Loop loop, ScheduledExecutorService timers, long intervalNanos) {
    this.loop = loop;
    this.timers = timers;
    this.intervalNanos = intervalNanos;
  }

  void setCoordinator(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  /** Background reports handed to the coordinator so far; read on the loop. */
  long bgEvents() {
    return bgEvents;
  }

  @Override
  public void coordStartMeas(long measId, String relayFp, int dur, TorCallback<Long> circId) {
    long circ = nextCirc++;
    loop.execute(() -> circId.onSuccess(circ));
    post(new CircEvent(circ, CircEvent.CircStatus.BUILT, Optional.empty()));
    post(new FfMeasEvent.ParamsSent(measId));
    post(new FfMeasEvent.ParamsOk(measId, true));
    circs.put(measId, circ);
  }

  @Override
  public void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done) {
    loop.execute(() -> done.onSuccess(null));
    Long circ = circs.remove(measId);
    long circId = circ == null ? 0 : circ;
    if (intervalNanos == 0) {
      for (int i = 0; i < dur; i++) {
        postBackground(measId);
      }
      postEnd(measId, circId);
      return;
    }
    // Scheduled from the timer thread itself, so the task never runs before its future is set.
    timers.execute(() -> new Paced(measId, circId, dur).start());
  }

  /** One measurement's background reports at the paced rate; lives on the timer thread. */
  private final class Paced implements Runnable {
    private final long measId;
    private final long circId;
    private final int dur;
    private int sent;
    private ScheduledFuture<?> future;

    Paced(long measId, long circId, int dur) {
      this.measId = measId;
      this.circId = circId;
      this.dur = dur;
    }

    void start() {
      future = timers.scheduleAtFixedRate(this, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      postBackground(measId);
      if (++sent == dur) {
        postEnd(measId, circId);
        future.cancel(false);
      }
    }
  }

  private void postBackground(long measId) {
    loop.execute(
        () -> {
          bgEvents++;
          coordinator.torEvent(new FfMeasEvent.BwReport(measId, BG_BYTES, BG_BYTES));
        });
  }

  private void postEnd(long measId, long circId) {
    post(new FfMeasEvent.End(measId, true));
    post(new CircEvent(circId, CircEvent.CircStatus.CLOSED, Optional.of("FINISHED")));
  }

  private void post(TorEvent event) {
    loop.execute(() -> coordinator.torEvent(event));
  }

  @Override
  public void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done) {
    throw new UnsupportedOperationException("the load harness names relays by fingerprint");
  }

  @Override
  public void consensus(TorCallback<List<RouterStatus>> done) {
    throw new UnsupportedOperationException("the load harness has no consensus");
  }
}
