package org.flashflow.coord.tor;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.TorPort;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorState;
import org.flashflow.torctl.session.TorSession;

/**
 * The coordinator's tor: a {@link TorSession} (attach or launch, reconnect, FlashFlow check) seen
 * through the core's {@link TorPort}, with torctl's exceptions mapped onto the core's three kinds
 * of failure. Called on the loop.
 */
public final class TorBridge implements TorPort, AutoCloseable {
  private final TorSession session;

  /**
   * @param onState receives every state change, on the loop
   * @param onEvent receives CIRC, FF_MEAS and NEWCONSENSUS events of the current connection, on the
   *     loop
   */
  public TorBridge(
      Loop loop,
      TorSession.Mode mode,
      Duration maxBackoff,
      BiConsumer<TorState, String> onState,
      Consumer<TorEvent> onEvent) {
    this.session = new TorSession(loop, mode, maxBackoff, onState, onEvent, true);
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
    session.call(t -> t.coordStartMeas(measId, relayFp, dur), circId);
  }

  @Override
  public void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done) {
    session.call(t -> t.coordStartMeasActive(measId, relayFp, dur), done);
  }

  @Override
  public void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done) {
    String key =
        fpOrNickname.matches("\\$?[0-9A-Fa-f]{40}")
            ? "ns/id/" + fpOrNickname.replace("$", "").toUpperCase(Locale.ROOT)
            : "ns/name/" + fpOrNickname;
    session.call(t -> t.routerStatuses(key).thenApply(l -> l.stream().findFirst()), done);
  }

  @Override
  public void consensus(TorCallback<List<RouterStatus>> done) {
    session.call(t -> t.routerStatuses("ns/all"), done);
  }

  @Override
  public void serverDescriptors(TorCallback<List<ServerDescriptor>> done) {
    session.call(t -> t.serverDescriptors("desc/all-recent"), done);
  }

  @Override
  public void torVersion(TorCallback<Optional<String>> done) {
    session.call(t -> t.version().thenApply(Optional::of), done);
  }

  /** Stops reconnecting, closes the control connection and stops a tor we launched. */
  @Override
  public void close() {
    session.close();
  }
}
