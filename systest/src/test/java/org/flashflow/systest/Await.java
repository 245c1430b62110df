package org.flashflow.systest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline, instead of sleeping and hoping. */
final class Await {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private Await() {}

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code timeout}. */
  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    value(timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, what);
  }

  /**
   * Polls {@code probe} until it returns non-null and returns that; fails naming {@code what} after
   * {@code timeout}.
   */
  static <T> T value(Duration timeout, Supplier<T> probe, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
