package org.flashflow.coord.tor;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.TorCallback;
import org.flashflow.coord.TorFailure;
import org.flashflow.coord.TorPort;
import org.flashflow.coord.TorState;
import org.flashflow.torctl.AsyncTor;
import org.flashflow.torctl.RouterStatus;
import org.flashflow.torctl.TorConnectionLostException;
import org.flashflow.torctl.TorControlException;
import org.flashflow.torctl.TorEvent;
import org.flashflow.torctl.TorSession;
import org.flashflow.torctl.TorTimeoutException;

/**
 * The coordinator's tor: a {@link TorSession} (attach or launch, reconnect, FlashFlow check) seen
 * through the core's {@link TorPort}, with torctl's exceptions mapped onto the core's three kinds
 * of failure. Called on the loop.
 */
public final class TorBridge implements TorPort, AutoCloseable {
  private final TorSession session;

  /**
   * @param onState receives every state change, on the loop
   * @param onEvent receives CIRC and FF_MEAS events of the current connection, on the loop
   */
  public TorBridge(
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

  private static TorState coreState(TorSession.State s) {
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

  /** Where tor is, for status lines and log messages. */
  public String where() {
    return session.where();
  }

  @Override
  public void coordStartMeas(long measId, String relayFp, int dur, TorCallback<Long> circId) {
    call(t -> t.coordStartMeas(measId, relayFp, dur), circId);
  }

  @Override
  public void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done) {
    call(t -> t.coordStartMeasActive(measId, relayFp, dur), done);
  }

  @Override
  public void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done) {
    String key =
        fpOrNickname.matches("\\$?[0-9A-Fa-f]{40}")
            ? "ns/id/" + fpOrNickname.replace("$", "").toUpperCase(Locale.ROOT)
            : "ns/name/" + fpOrNickname;
    call(t -> t.routerStatuses(key).thenApply(l -> l.stream().findFirst()), done);
  }

  @Override
  public void consensus(TorCallback<List<RouterStatus>> done) {
    call(t -> t.routerStatuses("ns/all"), done);
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

  /** Maps torctl's exceptions onto the core's three kinds of failure. */
  static TorFailure failure(Throwable e) {
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
