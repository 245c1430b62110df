package org.flashflow.common.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * "Run this on the loop and wait for it", for the threads around a loop (shutdown hooks, status
 * snapshots, benchmarks). Never call these on the loop itself: the task could not run while the
 * caller waits for it.
 */
public final class LoopCalls {
  private LoopCalls() {}

  /**
   * Runs {@code task} on {@code loop} and returns its result.
   *
   * @throws ExecutionException the task threw (the cause is its exception)
   * @throws TimeoutException the task did not finish within {@code timeout}
   * @throws InterruptedException the caller was interrupted while waiting
   */
  public static <T> T call(Executor loop, Callable<T> task, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Exception | Error e) {
            result.completeExceptionally(e);
          }
        });
    return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs one step of a shutdown on {@code loop} and waits for it. A step that fails or takes too
   * long is logged (WARN, with the stack trace at DEBUG) and the shutdown goes on; an interrupt
   * ends the wait and stays set for the caller.
   *
   * @return whether the step finished without failing
   */
  public static boolean runStep(
      Executor loop, String what, Runnable step, Duration timeout, Logger log) {
    try {
      call(
          loop,
          () -> {
            step.run();
            return null;
          },
          timeout);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("{}: interrupted while waiting", what);
    } catch (ExecutionException e) {
      log.warn("{} failed: {}", what, String.valueOf(e.getCause()));
      log.debug("{} failed", what, e.getCause());
    } catch (TimeoutException e) {
      log.warn("{}: not done after {}", what, timeout);
    } catch (RuntimeException e) { // the loop refused the task, e.g. it is already shutting down
      log.warn("{}: cannot run on the loop: {}", what, e.toString());
      log.debug("{}: cannot run on the loop", what, e);
    }
    return false;
  }
}
