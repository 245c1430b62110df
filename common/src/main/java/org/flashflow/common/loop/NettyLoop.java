package org.flashflow.common.loop;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Loop}: the coordinator's single Netty event loop plus a wall clock. Every
 * channel (measurer server, control server and their children) is registered on the same {@link
 * EventLoop}, so channel handlers already run on the loop and may call the core directly.
 *
 * <p>Time comes from the injected {@link Clock} rather than from the event loop's own ticker, so
 * that the core reads one notion of "now" and tests can pin it.
 */
public final class NettyLoop implements Loop {
  private static final Logger log = LoggerFactory.getLogger(NettyLoop.class);
  private final EventLoop eventLoop;
  private final Clock clock;

  public NettyLoop(EventLoop eventLoop, Clock clock) {
    this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The wrapped event loop, for registering channels on the same thread. */
  public EventLoop eventLoop() {
    return eventLoop;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  /** {@code System.nanoTime()}, the clock Netty's own timers run on. */
  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  /**
   * Posts {@code task}. Once the loop is shutting down, tasks posted from other threads (a late tor
   * event, a file write finishing) are dropped with a DEBUG line: nothing is left to act on them.
   */
  @Override
  public void execute(Runnable task) {
    try {
      eventLoop.execute(task);
    } catch (RejectedExecutionException e) {
      if (!eventLoop.isShuttingDown()) {
        throw e;
      }
      log.debug("event loop shutting down; dropped a task posted from {}", threadName());
    }
  }

  private static String threadName() {
    return Thread.currentThread().getName();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    // Negative delays run as soon as possible, like Netty itself; nanos keep sub-ms precision.
    ScheduledFuture<?> future;
    try {
      future = eventLoop.schedule(task, Math.max(0, saturatedNanos(delay)), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!eventLoop.isShuttingDown()) {
        throw e;
      }
      log.debug("event loop shutting down; dropped a timer set from {}", threadName());
      return () -> {};
    }
    return () -> future.cancel(false);
  }

  @Override
  public boolean inLoop() {
    return eventLoop.inEventLoop();
  }

  private static long saturatedNanos(Duration delay) {
    try {
      return delay.toNanos();
    } catch (ArithmeticException e) {
      return delay.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }
}
