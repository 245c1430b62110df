package org.flashflow.common.loop;

import java.time.Duration;
import java.time.Instant;

/**
 * The state owner's one port to time and threads: executor, clock and timer in one (grpc-java's
 * {@code FakeClock} idea). Production wraps a Netty {@code EventLoop} and a {@code Clock}; tests
 * use {@link ManualLoop}, whose time only moves when the test advances it.
 *
 * <p>Tasks run in the order submitted, never concurrently, and must never block.
 */
public interface Loop {
  /**
   * The current wall-clock time, for what is written down (records, file names, slots of the
   * schedule). It may be stepped back or forward at any moment. Re-read it when a timer fires
   * rather than adding up delays.
   */
  Instant now();

  /**
   * A monotonic clock in nanoseconds (only differences mean anything; never steps), for comparing
   * when things happened, as timers do. Use it, not {@link #now()}, for "X happened after Y".
   */
  long nanoTime();

  /** Runs {@code task} on the loop, later; safe to call from any thread. */
  void execute(Runnable task);

  /** Runs {@code task} on the loop after {@code delay}; safe to call from any thread. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Whether the calling thread is the loop's. */
  boolean inLoop();

  /** Throws {@link IllegalStateException} unless called on the loop (entry-point guard). */
  default void checkInLoop() {
    if (!inLoop()) {
      throw new IllegalStateException(
          "called from thread " + Thread.currentThread().getName() + ", not the event loop");
    }
  }
}
