package org.flashflow.torctl.async;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flashflow.torctl.client.TorControlClient;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.client.TorEventListener;
import org.flashflow.torctl.model.ProtocolInfo;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.TorConnectionLostException;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tor control connection whose commands never block the caller: each runs on this connection's
 * one private thread, in submission order, and completes a future. The caller (an event loop) hops
 * back with {@code future.whenComplete((v, e) -> loop.execute(...))}; futures complete on a tor
 * thread.
 *
 * <p>Failures: a tor error reply fails the future with {@link TorControlException} (status code and
 * tor's line); an unreadable reply with {@link MalformedTorReplyException}; no reply within the
 * command timeout with {@link TorTimeoutException}, and then the connection is closed and reported
 * lost, because jtorctl would pair every later reply with the wrong command. A lost connection
 * calls {@link TorEventListener#onConnectionLost} once, fails every pending future with {@link
 * TorConnectionLostException}, and every later call fails at once.
 */
@SuppressWarnings("CollectionUndefinedEquality") // pending futures are meant to compare by identity
public final class AsyncTor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AsyncTor.class);
  private static final long CLOSE_WAIT_MS = 2000;

  private final TorControlSettings settings;
  private final TorEventListener listener;
  private final ExecutorService worker;
  private final ScheduledExecutorService timer;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Exception> death = new AtomicReference<>();
  private volatile Thread workerThread;
  private volatile Thread timerThread;
  private volatile boolean connected;
  private volatile TorControlClient client;

  private AsyncTor(TorControlSettings settings, TorEventListener listener) {
    this.settings = settings;
    this.listener = listener;
    String where = settings.endpoint().toString();
    this.worker = Executors.newSingleThreadExecutor(daemon("tor-cmd " + where, true));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("tor-timer " + where, false));
  }

  /**
   * Connects and authenticates on the new connection's thread, within the command timeout.
   *
   * @return completes with the connected instance, or fails with {@link TorControlException}
   */
  public static CompletableFuture<AsyncTor> connect(
      TorControlSettings settings, TorEventListener listener) {
    AsyncTor tor = new AsyncTor(settings, listener);
    CompletableFuture<AsyncTor> connected =
        tor.submit(
            "connect",
            () -> {
              tor.client = TorControlClient.connect(settings, tor.new Relay());
              tor.connected = true;
              if (tor.client.isLost()) {
                throw new TorConnectionLostException(
                    "tor at " + tor.where() + " closed the connection right after we connected",
                    null);
              }
              return tor;
            });
    var unused =
        connected.whenComplete(
            (v, e) -> {
              if (e != null) {
                tor.close();
              }
            });
    return connected;
  }

  /** {@code GETINFO key}. */
  public CompletableFuture<String> getInfo(String key) {
    return submit("GETINFO " + key, () -> client().getInfo(key));
  }

  /** {@code GETINFO version}. */
  public CompletableFuture<String> version() {
    return submit("GETINFO version", () -> client().version());
  }

  /** Whether tor lists FF_MEAS among its events. */
  public CompletableFuture<Boolean> supportsFlashFlow() {
    return submit("GETINFO events/names", () -> client().supportsFlashFlow());
  }

  /** The events tor can send ({@code GETINFO events/names}). */
  public CompletableFuture<Set<String>> eventNames() {
    return submit("GETINFO events/names", () -> client().eventNames());
  }

  /** {@code SETEVENTS ...}. */
  public CompletableFuture<Void> setEvents(List<String> events) {
    List<String> copy = List.copyOf(events);
    return run("SETEVENTS", () -> client().setEvents(copy));
  }

  /** The first {@code COORD_START_MEAS}; completes with the circuit id. */
  public CompletableFuture<Long> coordStartMeas(long measId, String relayFp, int dur) {
    return submit("COORD_START_MEAS", () -> client().coordStartMeas(measId, relayFp, dur));
  }

  /** The second {@code COORD_START_MEAS}. */
  public CompletableFuture<Void> coordStartMeasActive(long measId, String relayFp, int dur) {
    return run(
        "COORD_START_MEAS (active)", () -> client().coordStartMeasActive(measId, relayFp, dur));
  }

  /** The first {@code MEASR_START_MEAS}; completes with the launched circuit ids. */
  public CompletableFuture<List<Long>> measrStartMeas(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw) {
    return submit(
        "MEASR_START_MEAS", () -> client().measrStartMeas(measId, relayFp, nCircs, dur, bw));
  }

  /** The second {@code MEASR_START_MEAS}. */
  public CompletableFuture<Void> measrStartMeasActive(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw) {
    return run(
        "MEASR_START_MEAS (active)",
        () -> client().measrStartMeasActive(measId, relayFp, nCircs, dur, bw));
  }

  /** Router status entries for {@code ns/all}, {@code ns/id/<fp>}, {@code ns/name/<nick>}. */
  public CompletableFuture<List<RouterStatus>> routerStatuses(String key) {
    return submit("GETINFO " + key, () -> client().routerStatuses(key));
  }

  /**
   * Server descriptors for {@code desc/all-recent}, {@code desc/id/<fp>}, {@code desc/name/...}.
   */
  public CompletableFuture<List<ServerDescriptor>> serverDescriptors(String key) {
    return submit("GETINFO " + key, () -> client().serverDescriptors(key));
  }

  /** What tor said in PROTOCOLINFO (only after {@link #connect} completed). */
  public ProtocolInfo protocolInfo() {
    return client().protocolInfo();
  }

  /**
   * Closes the connection and stops both threads, waiting a bounded time. Pending futures fail; the
   * listener is not told. Safe to call more than once and from any thread.
   */
  @Override
  public void close() {
    die(
        new TorConnectionLostException("control connection to tor at " + where() + " closed", null),
        false);
    Thread self = Thread.currentThread();
    if (self != workerThread) {
      awaitQuietly(worker);
    }
    if (self != timerThread) {
      awaitQuietly(timer);
    }
  }

  private TorControlClient client() {
    TorControlClient c = client;
    if (c == null) {
      throw new IllegalStateException("not connected");
    }
    return c;
  }

  private String where() {
    return settings.endpoint().toString();
  }

  /** A command that produces a value. */
  interface Command<T> {
    T call() throws Exception;
  }

  /** A command that produces nothing. */
  interface VoidCommand {
    void call() throws Exception;
  }

  private CompletableFuture<Void> run(String what, VoidCommand cmd) {
    return submit(
        what,
        () -> {
          cmd.call();
          return null;
        });
  }

  private <T> CompletableFuture<T> submit(String what, Command<T> cmd) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Exception dead = death.get();
    if (dead != null) {
      result.completeExceptionally(dead);
      return result;
    }
    pending.add(result);
    Future<?> task;
    ScheduledFuture<?> timeout;
    try {
      task = worker.submit(() -> execute(what, cmd, result));
      Duration t = settings.commandTimeout();
      timeout =
          timer.schedule(() -> timedOut(what, task, result), t.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pending.remove(result);
      Exception d = death.get();
      result.completeExceptionally(d != null ? d : e);
      return result;
    }
    var unused =
        result.whenComplete(
            (v, e) -> {
              pending.remove(result);
              timeout.cancel(false);
            });
    // A death between the check above and pending.add() must not leave this future behind.
    Exception late = death.get();
    if (late != null) {
      result.completeExceptionally(late);
    }
    return result;
  }

  private <T> void execute(String what, Command<T> cmd, CompletableFuture<T> result) {
    if (result.isDone()) {
      return;
    }
    try {
      T value = cmd.call();
      result.complete(value);
    } catch (TorControlException e) {
      Exception d = death.get();
      result.completeExceptionally(d != null && e instanceof TorConnectionLostException ? d : e);
    } catch (Exception | Error e) {
      log.error("tor at {}: {} failed unexpectedly", where(), what, e);
      result.completeExceptionally(e);
    }
  }

  private void timedOut(String what, Future<?> task, CompletableFuture<?> result) {
    TorTimeoutException e =
        new TorTimeoutException(
            "tor at "
                + where()
                + " did not answer "
                + what
                + " within "
                + settings.commandTimeout().toMillis()
                + " ms");
    if (result.completeExceptionally(e)) {
      log.warn("{}; closing the connection", e.getMessage());
      task.cancel(true); // frees the thread waiting in jtorctl
      die(e, true);
    }
  }

  /** First call wins: records why, fails pending futures, closes the socket, stops the worker. */
  private void die(Exception cause, boolean tellListener) {
    TorConnectionLostException lost =
        cause instanceof TorConnectionLostException l
            ? l
            : new TorConnectionLostException(
                "connection to tor at " + where() + " lost: " + cause.getMessage(), cause);
    if (!death.compareAndSet(null, lost)) {
      return;
    }
    TorControlClient c = client;
    if (c != null) {
      c.close();
    }
    for (CompletableFuture<?> f : List.copyOf(pending)) {
      f.completeExceptionally(lost);
    }
    worker.shutdownNow();
    timer.shutdownNow();
    if (tellListener && connected) {
      try {
        listener.onConnectionLost(cause);
      } catch (RuntimeException | Error e) {
        log.error("tor at {}: listener failed on connection loss", where(), e);
      }
    }
  }

  private static void awaitQuietly(ExecutorService e) {
    try {
      if (!e.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
        log.warn("a tor thread did not stop within {} ms", CLOSE_WAIT_MS);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private ThreadFactory daemon(String name, boolean isWorker) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      if (isWorker) {
        workerThread = t;
      } else {
        timerThread = t;
      }
      return t;
    };
  }

  /** Forwards events; turns the client's connection loss into this connection's death. */
  private final class Relay implements TorEventListener {
    @Override
    public void onTorEvent(TorEvent event) {
      listener.onTorEvent(event);
    }

    @Override
    public void onConnectionLost(Exception cause) {
      die(cause, true);
    }
  }
}
