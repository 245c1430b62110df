package org.flashflow.coord.results;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the results cleanup ({@code [cleanup]}) at startup and then once a {@code period}: a loop
 * timer that, when it fires, re-reads the loop's clock and posts the file work, with that time, to
 * the file-I/O thread. The loop never touches a file.
 */
public final class CleanupTimer {
  private static final Logger log = LoggerFactory.getLogger(CleanupTimer.class);

  private final Loop loop;
  private final Executor io;
  private final Duration period;
  private final Consumer<Instant> job;
  private Cancellable next;
  private boolean stopped;

  /**
   * @param job the cleanup at the given time; runs on {@code io}, must not throw
   */
  public CleanupTimer(Loop loop, Executor io, Duration period, Consumer<Instant> job) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.io = Objects.requireNonNull(io, "io");
    this.period = Objects.requireNonNull(period, "period");
    this.job = Objects.requireNonNull(job, "job");
  }

  /** Runs the cleanup now, then every period. On the loop. */
  public void start() {
    loop.checkInLoop();
    fire();
  }

  /** No run after this. On the loop. */
  public void stop() {
    loop.checkInLoop();
    stopped = true;
    if (next != null) {
      next.cancel();
    }
  }

  private void fire() {
    if (stopped) {
      return;
    }
    Instant now = loop.now();
    try {
      io.execute(() -> job.accept(now));
    } catch (RejectedExecutionException e) {
      log.debug("cleanup not run: shutting down");
      return;
    }
    next = loop.schedule(period, this::fire);
  }
}
