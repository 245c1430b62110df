package org.flashflow.coord.results;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;

/**
 * A real single-threaded {@link Loop} for tests where another thread (the results I/O thread) posts
 * to the loop, which the single-threaded {@code ManualLoop} does not allow.
 */
final class ThreadLoop implements Loop, AutoCloseable {
  private final ScheduledExecutorService exec;
  private final Thread thread;

  ThreadLoop() throws InterruptedException {
    Thread[] holder = new Thread[1];
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "test-loop");
          t.setDaemon(true);
          holder[0] = t;
          return t;
        };
    exec = Executors.newSingleThreadScheduledExecutor(tf);
    try {
      exec.submit(() -> {}).get(); // starts the thread, so holder[0] is set and visible
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    thread = holder[0];
  }

  @Override
  public Instant now() {
    return Instant.EPOCH;
  }

  @Override
  public long nanoTime() {
    return 0;
  }

  @Override
  public void execute(Runnable task) {
    exec.execute(task);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = exec.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void close() {
    exec.shutdownNow();
  }
}
