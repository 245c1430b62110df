package org.flashflow.torctl.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.flashflow.torctl.async.AsyncTor;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.client.TorEventListener;
import org.flashflow.torctl.model.NewConsensusEvent;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorConnectionLostException;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tor control connection that stays up: attaches to a running tor or launches one, authenticates,
 * checks for FlashFlow, subscribes to CIRC (and FF_MEAS where tor has it; NEWCONSENSUS if asked
 * for), and after a loss reconnects with backoff (attach mode) or relaunches tor (launch mode).
 * Shared by the coordinator and the measurer, whose tor ports are thin layers over {@link #call}.
 *
 * <p>All fields belong to the event loop. Blocking work (launching tor, every control command) runs
 * elsewhere ({@link AsyncTor}'s thread, a launcher thread) and comes back with {@code
 * loop.execute}. Events of a connection that has since been replaced are dropped by comparing
 * generations, so a late event of a dead connection never reaches the listener.
 */
public final class TorSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TorSession.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final String FF_MEAS = "FF_MEAS";
  private static final String NEWCONSENSUS = "NEWCONSENSUS";

  /** The outcome of one {@link #call}, delivered on the loop. */
  @FunctionalInterface
  public interface Completion<T> {
    /**
     * @param error null on success; else unwrapped: a {@link TorControlException} (or subclass
     *     {@link TorTimeoutException}, {@link TorConnectionLostException}, {@link
     *     MalformedTorReplyException}) or another exception
     */
    void done(T result, Throwable error);
  }

  private final Loop loop;
  private final Mode mode;
  private final Duration maxBackoff;
  private final BiConsumer<TorState, String> onState;
  private final Consumer<TorEvent> onEvent;
  private final boolean consensusEvents;
  private final ExecutorService launcher;

  private AsyncTor tor;
  private LaunchedTor launched;
  private long generation;
  private Duration backoff = MIN_BACKOFF;
  private Cancellable retry;
  private boolean closed;
  private boolean reportedNoFlashFlow;
  private boolean reportedNoConsensusEvents;
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
   * @param maxBackoff the longest wait between reconnection attempts ({@code [tor]
   *     reconnect_max_backoff}); the first is 0.5 s, doubling
   */
  public TorSession(
      Loop loop,
      Mode mode,
      Duration maxBackoff,
      BiConsumer<TorState, String> onState,
      Consumer<TorEvent> onEvent) {
    this(loop, mode, maxBackoff, onState, onEvent, false);
  }

  /**
   * @param consensusEvents also subscribe to NEWCONSENSUS where tor offers it (the coordinator, so
   *     that its schedule sees new relays at once); {@code onEvent} then gets {@link
   *     NewConsensusEvent}s too. Without it, none reaches {@code onEvent}.
   */
  public TorSession(
      Loop loop,
      Mode mode,
      Duration maxBackoff,
      BiConsumer<TorState, String> onState,
      Consumer<TorEvent> onEvent,
      boolean consensusEvents) {
    this.consensusEvents = consensusEvents;
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
                          attach(gen, l.control().withEndpoint(t.endpoint()));
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
    AsyncTor.connect(settings, new EventRelay(gen))
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

  /** What {@link #checkFlashFlow} subscribed to. */
  private record Subscribed(boolean flashFlow, boolean consensus) {}

  private void checkFlashFlow(long gen, AsyncTor t) {
    t.eventNames()
        .thenCompose(
            names -> {
              Subscribed sub =
                  new Subscribed(
                      names.contains(FF_MEAS), consensusEvents && names.contains(NEWCONSENSUS));
              List<String> events = new ArrayList<>(List.of("CIRC"));
              if (sub.flashFlow()) {
                events.add(FF_MEAS);
              }
              if (sub.consensus()) {
                events.add(NEWCONSENSUS);
              }
              return t.setEvents(events).thenApply(v -> sub);
            })
        .whenComplete(
            (sub, e) ->
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
                      if (consensusEvents && !sub.consensus() && !reportedNoConsensusEvents) {
                        reportedNoConsensusEvents = true;
                        log.warn(
                            "tor {} at {} does not offer NEWCONSENSUS events: relays new in the"
                                + " consensus are only seen at the next poll",
                            version,
                            where());
                      }
                      if (sub.flashFlow()) {
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

  /**
   * Runs one command on the current connection; {@code done} runs on the loop. Without a connection
   * it fails at once with {@link TorConnectionLostException}.
   */
  public <T> void call(Function<AsyncTor, CompletableFuture<T>> command, Completion<T> done) {
    loop.checkInLoop();
    AsyncTor t = tor;
    if (t == null || closed) {
      TorConnectionLostException e =
          new TorConnectionLostException("not connected to tor at " + where(), null);
      loop.execute(() -> done.done(null, e));
      return;
    }
    command
        .apply(t)
        .whenComplete((v, e) -> loop.execute(() -> done.done(v, e == null ? null : unwrap(e))));
  }

  /** As {@link #call(Function, Completion)}, with the outcome as a {@link TorCallback}. */
  public <T> void call(Function<AsyncTor, CompletableFuture<T>> command, TorCallback<T> callback) {
    call(
        command,
        (T v, Throwable e) -> {
          if (e == null) {
            callback.onSuccess(v);
          } else {
            callback.onError(TorFailure.of(e));
          }
        });
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Stops reconnecting, closes the control connection and stops a tor we launched. Idempotent. */
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
  private final class EventRelay implements TorEventListener {
    private final long gen;

    EventRelay(long gen) {
      this.gen = gen;
    }

    @Override
    public void onTorEvent(TorEvent event) {
      if (event instanceof NewConsensusEvent && !consensusEvents) {
        return; // not asked for: a listener that does not expect one may not get one
      }
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
