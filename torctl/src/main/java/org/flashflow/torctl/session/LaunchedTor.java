package org.flashflow.torctl.session;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.model.TorEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tor that {@link TorLauncher} started and that we must stop. */
public final class LaunchedTor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LaunchedTor.class);
  private static final long TERM_WAIT_S = 10;

  private final Process process;
  private final Path controlSocket;
  private final Path cookieFile;
  private final Path dataDir;

  LaunchedTor(Process process, Path dataDir, Path controlSocket, Path cookieFile) {
    this.process = process;
    this.dataDir = dataDir;
    this.controlSocket = controlSocket;
    this.cookieFile = cookieFile;
  }

  /** The control socket tor listens on; connect with {@link #endpoint()}. */
  public Path controlSocket() {
    return controlSocket;
  }

  public Path cookieFile() {
    return cookieFile;
  }

  public Path dataDir() {
    return dataDir;
  }

  public TorEndpoint endpoint() {
    return new TorEndpoint.UnixSocket(controlSocket);
  }

  /** Settings to connect to this tor with its cookie, and the default command timeout. */
  public TorControlSettings controlSettings() {
    return TorControlSettings.of(endpoint()).withCookieFile(cookieFile);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, up to 10 s for tor to exit, then SIGKILL. Idempotent.
   *
   * @return whether the process has ended
   */
  public boolean stop() {
    if (!process.isAlive()) {
      return true;
    }
    log.info("stopping tor pid {} (datadir {})", process.pid(), dataDir);
    process.destroy();
    try {
      if (process.waitFor(TERM_WAIT_S, TimeUnit.SECONDS)) {
        return true;
      }
      log.warn("tor pid {} ignored SIGTERM for {} s; killing it", process.pid(), TERM_WAIT_S);
      process.destroyForcibly();
      return process.waitFor(TERM_WAIT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return !process.isAlive();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
