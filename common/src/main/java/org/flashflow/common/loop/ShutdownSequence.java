package org.flashflow.common.loop;

import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The once-only shutdown both daemons share: the first caller runs the daemon's steps and then
 * closes its event loop group; a second caller (a signal during a shutdown, a test's cleanup) waits
 * for the first to finish instead of running anything twice. Called from threads around the loop,
 * never from the loop itself.
 */
public final class ShutdownSequence {
  private final String name;
  private final EventLoopGroup group;
  private final Logger log;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  /**
   * @param name for the log lines, e.g. {@code coordinator}
   * @param group closed last, after every step
   */
  public ShutdownSequence(String name, EventLoopGroup group, Logger log) {
    this.name = Objects.requireNonNull(name, "name");
    this.group = Objects.requireNonNull(group, "group");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Runs {@code steps} and closes the loop group, or, if a shutdown has begun already, waits for it
   * (an interrupt ends the wait and stays set).
   */
  public void run(Runnable steps) {
    if (!started.compareAndSet(false, true)) {
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    log.info("{} shutting down", name);
    try {
      steps.run();
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      log.info("{} stopped", name);
      finished.countDown();
    }
  }

  /** Blocks until a shutdown has finished. */
  public void await() throws InterruptedException {
    finished.await();
  }
}
