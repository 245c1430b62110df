package org.flashflow.common.io;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The log lines of a write that fails again and again (a full disk): the ERROR at most once per
 * {@code every}, saying how many attempts failed since the last one, and one INFO when the write
 * works again. Not thread-safe: belongs to the thread that reports (the coordinator's loop), which
 * passes its own monotonic time.
 */
public final class RepeatedFailure {
  private final Logger log;
  private final String what;
  private final long everyNanos;
  private boolean failing;
  private long lastErrorNanos;
  private long failures;
  private long suppressed;
  private long errorsLogged;

  /**
   * @param what names the write, e.g. "saving the schedule state file /x/state.json"
   */
  public RepeatedFailure(Logger log, String what, Duration every) {
    this.log = Objects.requireNonNull(log, "log");
    this.what = Objects.requireNonNull(what, "what");
    this.everyNanos = every.toNanos();
  }

  /**
   * An attempt failed with {@code error} at {@code nanoTime}: ERROR if it is the first or the last
   * ERROR is {@code every} ago, else only counted.
   *
   * @return whether the ERROR was logged
   */
  public boolean failed(long nanoTime, String error) {
    failures++;
    if (failing && nanoTime - lastErrorNanos < everyNanos) {
      suppressed++;
      return false;
    }
    String more = suppressed > 0 ? " (" + suppressed + " more failures since the last)" : "";
    log.error("{} failed: {}{}; trying again, it resumes by itself", what, error, more);
    errorsLogged++;
    failing = true;
    lastErrorNanos = nanoTime;
    suppressed = 0;
    return true;
  }

  /** An attempt worked: one INFO if attempts had failed before. */
  public void succeeded() {
    if (failing) {
      log.info("{} works again after {} failed attempt(s)", what, failures);
    }
    failing = false;
    failures = 0;
    suppressed = 0;
  }

  /** How many ERROR lines were logged in all. */
  public long errorsLogged() {
    return errorsLogged;
  }

  /** Whether the last attempt failed. */
  public boolean failing() {
    return failing;
  }
}
