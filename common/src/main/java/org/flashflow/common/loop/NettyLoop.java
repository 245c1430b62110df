package org.flashflow.common.loop;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Loop}: the coordinator's single Netty event loop plus a wall clock. Every
 * channel (measurer server, control server and their children) is registered on the same {@link
 * EventLoop}, so channel handlers already run on the loop and may call the core directly.
 *
 * <p>Time comes from the injected {@link Clock} rather than from the event loop's own ticker, so
 * that the core reads one notion of "now" and tests can pin it.
 */
public final class NettyLoop implements Loop {
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

  @Override
  public void execute(Runnable task) {
    eventLoop.execute(task);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    // Negative delays run as soon as possible, like Netty itself; nanos keep sub-ms precision.
    ScheduledFuture<?> future =
        eventLoop.schedule(task, Math.max(0, saturatedNanos(delay)), TimeUnit.NANOSECONDS);
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
