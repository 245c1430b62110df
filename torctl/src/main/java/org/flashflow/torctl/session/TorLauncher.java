package org.flashflow.torctl.session;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flashflow.torctl.model.TorControlException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@code tor_bin} for a process that has no tor to attach to: writes a torrc that puts a
 * cookie-authenticated control socket in the data directory (no SOCKS port), starts tor, and waits
 * until the socket accepts connections.
 */
public final class TorLauncher {
  private static final Logger log = LoggerFactory.getLogger(TorLauncher.class);
  private static final long POLL_MS = 50;
  private static final int SUN_PATH_MAX = 107;
  private static final int LOG_TAIL_BYTES = 2000;

  private TorLauncher() {}

  /**
   * Starts tor and waits until its control socket accepts connections.
   *
   * @throws TorControlException if tor cannot be run, exits early, or does not open its control
   *     socket in time (with the tail of its log); the process is then stopped
   */
  public static LaunchedTor launch(TorLaunchSettings s) throws TorControlException {
    Path dir = s.dataDir().toAbsolutePath().normalize();
    Path socket = dir.resolve("control");
    Path cookie = dir.resolve("control_auth_cookie");
    Path notice = dir.resolve("notice.log");
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
      throw new TorControlException(
          "tor_datadir path too long for a control socket (" + socket + "); use a shorter one");
    }
    Path torrc;
    try {
      torrc = prepare(dir, s.torrcExtraLines(), socket, cookie, notice);
    } catch (IOException e) {
      throw new TorControlException("cannot prepare tor_datadir " + dir + ": " + e, e);
    }
    Process p = start(s.torBin(), dir, torrc);
    LaunchedTor tor = new LaunchedTor(p, dir, socket, cookie);
    log.info("started {} pid {} with datadir {}", s.torBin(), p.pid(), dir);
    try {
      awaitControlSocket(p, socket, cookie, s.startTimeout().toMillis());
    } catch (TorControlException e) {
      tor.stop();
      throw new TorControlException(e.getMessage() + tail(dir, notice), e.getCause());
    }
    return tor;
  }

  private static Path prepare(Path dir, List<String> extra, Path socket, Path cookie, Path notice)
      throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.deleteIfExists(socket);
    List<String> lines = new ArrayList<>();
    lines.add("# written by FlashFlow; changes are overwritten at the next start");
    lines.add("DataDirectory " + dir);
    lines.add("ControlSocket " + socket);
    lines.add("ControlSocketsGroupWritable 0");
    lines.add("CookieAuthentication 1");
    lines.add("CookieAuthFile " + cookie);
    lines.add("SocksPort 0");
    lines.add("PidFile " + dir.resolve("tor.pid"));
    lines.add("Log notice file " + notice);
    // tor exits by itself if we die without stopping it.
    lines.add("__OwningControllerProcess " + ProcessHandle.current().pid());
    lines.addAll(extra);
    Path torrc = dir.resolve("torrc");
    Files.write(torrc, lines, StandardCharsets.UTF_8);
    Files.write(dir.resolve("torrc-defaults"), List.of(), StandardCharsets.UTF_8);
    return torrc;
  }

  private static Process start(String torBin, Path dir, Path torrc) throws TorControlException {
    ProcessBuilder pb =
        new ProcessBuilder(
            torBin,
            "--defaults-torrc",
            dir.resolve("torrc-defaults").toString(),
            "-f",
            torrc.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("tor.out").toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      return pb.start();
    } catch (IOException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("error=2,") || msg.contains("No such file")) {
        throw new TorControlException(
            "cannot run tor_bin '" + torBin + "': not found; install tor or set [tor] tor_bin", e);
      }
      throw new TorControlException("cannot run tor_bin '" + torBin + "': " + msg, e);
    }
  }

  /** Polls (tor offers no readiness signal on a control socket) until it accepts a connection. */
  private static void awaitControlSocket(Process p, Path socket, Path cookie, long timeoutMs)
      throws TorControlException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      if (!p.isAlive()) {
        throw new TorControlException("tor exited with status " + p.exitValue() + " at startup");
      }
      if (Files.exists(socket) && accepts(socket) && cookieReady(cookie)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TorControlException(
            "tor did not open its control socket " + socket + " within " + timeoutMs + " ms");
      }
      try {
        p.waitFor(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TorControlException("interrupted while waiting for tor to start");
      }
    }
  }

  private static boolean accepts(Path socket) {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return ch.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean cookieReady(Path cookie) {
    try {
      return Files.size(cookie) == 32;
    } catch (IOException e) {
      return false;
    }
  }

  /** The end of tor's log (or of its stdout, if it died before opening the log). */
  private static String tail(Path dir, Path notice) {
    StringBuilder sb = new StringBuilder();
    for (Path f : List.of(notice, dir.resolve("tor.out"))) {
      String t = readTail(f);
      if (!t.isBlank()) {
        sb.append("\n--- end of ").append(f).append(" ---\n").append(t.strip());
      }
    }
    return sb.toString();
  }

  private static String readTail(Path f) {
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      long len = raf.length();
      long from = Math.max(0, len - LOG_TAIL_BYTES);
      raf.seek(from);
      byte[] buf = new byte[(int) (len - from)];
      raf.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
