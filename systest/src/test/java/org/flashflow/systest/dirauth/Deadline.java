package org.flashflow.systest.dirauth;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline, instead of sleeping and hoping. */
final class Deadline {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private Deadline() {}

  /**
   * Polls {@code probe} until it returns non-null and returns that; after {@code timeout} fails
   * with a message naming {@code what} it waited for (evaluated then, so it can say what it saw
   * last).
   */
  static <T> T await(Duration timeout, Supplier<T> probe, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
