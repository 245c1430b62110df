package org.flashflow.common.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for file work done on another thread, in the terms of the caller's own I/O. */
public final class IoFutures {
  private IoFutures() {}

  /**
   * The result of {@code f}; the task's own {@link IOException}, {@link RuntimeException} or {@link
   * Error} as if the caller had thrown it, anything else wrapped in an {@link IOException}.
   *
   * @param what for the message of an interrupt, e.g. "reading the results log"
   * @throws InterruptedIOException if interrupted while waiting (the interrupt stays set)
   */
  public static <T> T await(Future<T> f, String what) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + what);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }
}
