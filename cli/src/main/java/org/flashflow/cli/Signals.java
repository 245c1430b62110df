package org.flashflow.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (systemd) and SIGINT (a terminal's Ctrl-C) as a clean shutdown that ends in exit status
 * 0, and SIGHUP as "reopen your log files" ({@link #onHangup}). A JVM shutdown hook alone would
 * exit with 143 or 130, which systemd reports as a failure; so the daemon commands handle these two
 * signals themselves, through the JDK's {@code sun.misc} signal API (module jdk.unsupported,
 * present in every JDK since 9).
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Runs {@code onStop} on a fresh thread at the first SIGTERM or SIGINT; later ones are ignored.
   */
  @SuppressWarnings("SunApi") // no supported API catches SIGTERM without changing the exit code
  static void onTermination(Runnable onStop) {
    Runnable once = new Once(onStop);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), sig -> once.run());
    }
  }

  /**
   * Runs {@code action} at every SIGHUP (after logrotate: reopen the log files), instead of the
   * JVM's default for it, which is to exit. {@code action} runs on the JDK's signal dispatcher
   * thread, so it must only hand work on, never block.
   */
  @SuppressWarnings("SunApi") // as above: no supported API catches SIGHUP
  static void onHangup(Runnable action) {
    Signal.handle(
        new Signal("HUP"),
        sig -> {
          try {
            action.run();
          } catch (RuntimeException e) {
            log.error("handling SIGHUP failed", e);
          }
        });
  }

  /** Starts the stop action once, off the signal dispatcher thread. */
  private static final class Once implements Runnable {
    private final Runnable action;
    private boolean started;

    Once(Runnable action) {
      this.action = action;
    }

    @Override
    public synchronized void run() {
      if (started) {
        return;
      }
      started = true;
      Thread t = new Thread(action, "shutdown");
      t.start();
    }
  }
}
