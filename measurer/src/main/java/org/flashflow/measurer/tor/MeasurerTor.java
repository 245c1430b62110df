package org.flashflow.measurer.tor;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flashflow.common.loop.Loop;
import org.flashflow.measurer.MeasurerTorPort;
import org.flashflow.measurer.TorCallback;
import org.flashflow.measurer.TorFailure;
import org.flashflow.measurer.TorState;
import org.flashflow.torctl.AsyncTor;
import org.flashflow.torctl.MalformedTorReplyException;
import org.flashflow.torctl.TorConnectionLostException;
import org.flashflow.torctl.TorControlException;
import org.flashflow.torctl.TorEvent;
import org.flashflow.torctl.TorSession;
import org.flashflow.torctl.TorTimeoutException;

/**
 * The measurer's tor: a {@link TorSession} (attach or launch, reconnect, FlashFlow check) seen
 * through the core's {@link MeasurerTorPort}, with torctl's exceptions mapped onto the core's four
 * kinds of failure. Mirrors the coordinator's {@code TorBridge}. Called on the loop.
 */
public final class MeasurerTor implements MeasurerTorPort, AutoCloseable {
  private final TorSession session;

  /**
   * @param onState receives every state change, on the loop
   * @param onEvent receives CIRC and FF_MEAS events of the current connection, on the loop
   */
  public MeasurerTor(
      Loop loop,
      TorSession.Mode mode,
      Duration maxBackoff,
      BiConsumer<TorState, String> onState,
      Consumer<TorEvent> onEvent) {
    this.session =
        new TorSession(
            loop,
            mode,
            maxBackoff,
            new TorSession.Listener() {
              @Override
              public void stateChanged(TorSession.State state, String detail) {
                onState.accept(coreState(state), detail);
              }

              @Override
              public void event(TorEvent event) {
                onEvent.accept(event);
              }
            });
  }

  static TorState coreState(TorSession.State s) {
    return switch (s) {
      case CONNECTING -> TorState.CONNECTING;
      case READY -> TorState.READY;
      case NO_FLASHFLOW -> TorState.NO_FLASHFLOW;
      case LOST -> TorState.LOST;
    };
  }

  /** Starts connecting (on the loop); state changes follow. */
  public void start() {
    session.start();
  }

  /** Where tor is, for log messages. */
  public String where() {
    return session.where();
  }

  @Override
  public void measrStartMeas(
      long measId,
      String relayFp,
      int nCircs,
      int dur,
      OptionalLong bw,
      TorCallback<List<Long>> circIds) {
    call(t -> t.measrStartMeas(measId, relayFp, nCircs, dur, bw), circIds);
  }

  @Override
  public void measrStartMeasActive(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw, TorCallback<Void> done) {
    call(t -> t.measrStartMeasActive(measId, relayFp, nCircs, dur, bw), done);
  }

  private <T> void call(Function<AsyncTor, CompletableFuture<T>> command, TorCallback<T> cb) {
    session.call(
        command,
        (v, e) -> {
          if (e == null) {
            cb.onSuccess(v);
          } else {
            cb.onError(failure(e));
          }
        });
  }

  /** Maps torctl's exceptions onto the core's four kinds of failure. */
  static TorFailure failure(Throwable e) {
    if (e instanceof MalformedTorReplyException) {
      return TorFailure.malformed(e.getMessage());
    }
    if (e instanceof TorTimeoutException) {
      return TorFailure.timeout(e.getMessage());
    }
    if (e instanceof TorConnectionLostException) {
      return TorFailure.lost(e.getMessage());
    }
    if (e instanceof TorControlException tce) {
      return TorFailure.error(tce.torReply().orElse(e.getMessage()));
    }
    return TorFailure.error(String.valueOf(e.getMessage()));
  }

  /** Stops reconnecting, closes the control connection and stops a tor we launched. */
  @Override
  public void close() {
    session.close();
  }
}
