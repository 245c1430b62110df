package org.flashflow.coord.tor;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.TorCallback;
import org.flashflow.coord.TorFailure;
import org.flashflow.coord.TorPort;
import org.flashflow.coord.TorState;
import org.flashflow.torctl.AsyncTor;
import org.flashflow.torctl.LaunchedTor;
import org.flashflow.torctl.RouterStatus;
import org.flashflow.torctl.TorConnectionLostException;
import org.flashflow.torctl.TorControlException;
import org.flashflow.torctl.TorControlSettings;
import org.flashflow.torctl.TorEvent;
import org.flashflow.torctl.TorEventListener;
import org.flashflow.torctl.TorLaunchSettings;
import org.flashflow.torctl.TorLauncher;
import org.flashflow.torctl.TorTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's tor: attaches to a running tor or launches one, authenticates, checks for
 * FlashFlow, subscribes to CIRC and FF_MEAS, and keeps doing so after the connection is lost
 * (reconnect with backoff in attach mode, relaunch in launch mode). Implements {@link TorPort} for
 * the core.
 *
 * <p>All fields belong to the event loop. Blocking work (launching tor, every control command) runs
 * elsewhere ({@link AsyncTor}'s thread, a launcher thread) and comes back with {@code
 * loop.execute}. Events of a connection that has since been replaced are dropped by comparing
 * generations, so a late event of a dead connection never reaches the core.
 */
public final class TorBridge implements TorPort, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TorBridge.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final List<String> EVENTS_FLASHFLOW = List.of("CIRC", "FF_MEAS");
  private static final List<String> EVENTS_STOCK = List.of("CIRC");

  private final Loop loop;
  private final Mode mode;
  private final Duration maxBackoff;
  private final BiConsumer<TorState, String> onState;
  private final Consumer<TorEvent> onEvent;
  private final ExecutorService launcher;

  private AsyncTor tor;
  private LaunchedTor launched;
  private long generation;
  private Duration backoff = MIN_BACKOFF;
  private Cancellable retry;
  private boolean closed;
  private boolean reportedNoFlashFlow;
  private TorState state = TorState.CONNECTING;

  /** Attach to an existing tor, or launch our own. */
  public sealed interface Mode {
    /** {@code [tor] control_addr} or {@code control_socket}. */
    record Attach(TorControlSettings settings) implements Mode {}

    /**
     * No control address configured: launch {@code tor_bin}.
     *
     * @param control authentication and timeout settings; the endpoint is taken from the launched
     *     tor
     */
    record Launch(TorLaunchSettings launch, TorControlSettings control) implements Mode {}
  }

  /**
   * @param onState receives every state change, on the loop
   * @param onEvent receives CIRC and FF_MEAS events of the current connection, on the loop
   */
  public TorBridge(
      Loop loop,
      Mode mode,
      Duration maxBackoff,
      BiConsumer<TorState, String> onState,
      Consumer<TorEvent> onEvent) {
    this.loop = loop;
    this.mode = mode;
    this.maxBackoff = maxBackoff.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : maxBackoff;
    this.onState = onState;
    this.onEvent = onEvent;
    this.launcher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tor-launcher");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts connecting (on the loop); state changes follow. */
  public void start() {
    loop.checkInLoop();
    connect();
  }

  /** The current state, for status lines. */
  public TorState state() {
    loop.checkInLoop();
    return state;
  }

  /** Where tor is, for status lines and log messages. */
  public String where() {
    if (mode instanceof Mode.Attach a) {
      return a.settings().endpoint().toString();
    }
    return launched != null ? "launched tor (pid " + launched.pid() + ")" : "launched tor";
  }

  private void connect() {
    if (closed) {
      return;
    }
    long gen = ++generation;
    setState(TorState.CONNECTING, "connecting to " + where());
    if (mode instanceof Mode.Launch l) {
      LaunchedTor previous = launched;
      launched = null;
      CompletableFuture.supplyAsync(() -> relaunch(previous, l.launch()), launcher)
          .whenComplete(
              (t, e) ->
                  loop.execute(
                      () -> {
                        if (e != null) {
                          connectFailed(gen, e);
                        } else if (closed) {
                          t.stop();
                        } else {
                          launched = t;
                          TorControlSettings c = l.control();
                          attach(
                              gen,
                              new TorControlSettings(
                                  t.endpoint(), c.password(), c.cookieFile(), c.commandTimeout()));
                        }
                      }));
    } else {
      attach(gen, ((Mode.Attach) mode).settings());
    }
  }

  /** Runs on the launcher thread: stops the tor of the last attempt, starts a new one. */
  private static LaunchedTor relaunch(LaunchedTor previous, TorLaunchSettings settings) {
    if (previous != null) {
      previous.stop();
    }
    try {
      LaunchedTor t = TorLauncher.launch(settings);
      log.info("launched tor (pid {}) with control socket {}", t.pid(), t.controlSocket());
      return t;
    } catch (TorControlException e) {
      throw new CompletionException(e);
    }
  }

  private void attach(long gen, TorControlSettings settings) {
    if (closed || gen != generation) {
      return;
    }
    AsyncTor.connect(settings, new Listener(gen))
        .whenComplete(
            (t, e) ->
                loop.execute(
                    () -> {
                      if (e != null) {
                        connectFailed(gen, e);
                      } else if (closed || gen != generation) {
                        t.close();
                      } else {
                        tor = t;
                        checkFlashFlow(gen, t);
                      }
                    }));
  }

  private void checkFlashFlow(long gen, AsyncTor t) {
    t.supportsFlashFlow()
        .thenCompose(ff -> t.setEvents(ff ? EVENTS_FLASHFLOW : EVENTS_STOCK).thenApply(v -> ff))
        .whenComplete(
            (ff, e) ->
                loop.execute(
                    () -> {
                      if (closed || gen != generation) {
                        return;
                      }
                      if (e != null) {
                        t.close();
                        connectFailed(gen, e);
                        return;
                      }
                      backoff = MIN_BACKOFF;
                      String version = t.protocolInfo().torVersion();
                      if (ff) {
                        log.info("tor {} at {} is ready for FlashFlow", version, where());
                        setState(TorState.READY, "tor " + version + " at " + where());
                      } else {
                        noFlashFlow(version);
                      }
                    }));
  }

  private void noFlashFlow(String version) {
    String why =
        "tor "
            + version
            + " at "
            + where()
            + " does not support FlashFlow (FF_MEAS missing from GETINFO events/names)";
    if (!reportedNoFlashFlow) {
      reportedNoFlashFlow = true;
      log.error("{}; measurements will be refused, bandwidth files can still be written", why);
    }
    setState(TorState.NO_FLASHFLOW, why);
  }

  private void connectFailed(long gen, Throwable e) {
    if (closed || gen != generation) {
      return;
    }
    Throwable cause = unwrap(e);
    log.warn(
        "cannot use tor at {}: {}; retrying in {} ms",
        where(),
        cause.getMessage(),
        backoff.toMillis());
    setState(TorState.LOST, cause.getMessage());
    scheduleReconnect();
  }

  private void connectionLost(long gen, Exception cause) {
    if (closed || gen != generation) {
      return;
    }
    log.warn("lost the control connection to tor at {}: {}", where(), cause.getMessage());
    tor = null;
    generation++;
    setState(TorState.LOST, "lost the control connection: " + cause.getMessage());
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    Duration delay = backoff;
    backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(maxBackoff) > 0) {
      backoff = maxBackoff;
    }
    retry = loop.schedule(delay, this::connect);
  }

  private void setState(TorState next, String detail) {
    state = next;
    onState.accept(next, detail);
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
    loop.checkInLoop();
    AsyncTor t = tor;
    if (t == null || closed) {
      loop.execute(() -> cb.onError(TorFailure.lost("not connected to tor at " + where())));
      return;
    }
    command
        .apply(t)
        .whenComplete(
            (v, e) ->
                loop.execute(
                    () -> {
                      if (e == null) {
                        cb.onSuccess(v);
                      } else {
                        cb.onError(failure(unwrap(e)));
                      }
                    }));
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

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Stops reconnecting, closes the control connection and stops a tor we launched. */
  @Override
  public void close() {
    loop.checkInLoop();
    closed = true;
    if (retry != null) {
      retry.cancel();
    }
    if (tor != null) {
      tor.close();
      tor = null;
    }
    if (launched != null) {
      log.info("stopping the tor we launched (pid {})", launched.pid());
      launched.stop();
      launched = null;
    }
    launcher.shutdownNow();
  }

  /** Hands tor's events to the loop; runs on tor's threads and only posts. */
  private final class Listener implements TorEventListener {
    private final long gen;

    Listener(long gen) {
      this.gen = gen;
    }

    @Override
    public void onTorEvent(TorEvent event) {
      loop.execute(
          () -> {
            if (!closed && gen == generation) {
              onEvent.accept(event);
            }
          });
    }

    @Override
    public void onConnectionLost(Exception cause) {
      loop.execute(() -> connectionLost(gen, cause));
    }
  }
}
