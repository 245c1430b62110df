package org.flashflow.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A network namespace joined to this one by a veth pair, for tests that need a peer to fall silent
 * at kernel level (as after power loss or a partition): {@link #cutLink} downs the namespace's end,
 * and from then on nothing comes back from {@link #nsAddress}, not even a reset.
 *
 * <p>Addresses are a private /30 that exists only on this veth pair (10.211.x.y, chosen free of any
 * address or route already on the machine); no other host is ever addressed. Names carry this JVM's
 * pid, so parallel test runs do not collide. Needs root and iproute2's {@code ip}: without root the
 * test is skipped; as root without {@code ip}, or where namespaces cannot be made, it is skipped
 * too unless {@code FLASHFLOW_REQUIRE_TOOLS=1} (CI), where it fails. {@link #close} (also run by a
 * shutdown hook) kills what was started inside and deletes the namespace and the pair.
 */
public final class NetNs implements AutoCloseable {
  private static final Path IP = find("ip");
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SS = find("ss");
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final String hostIf;
  private final String nsIf;
  private final InetAddress hostAddress;
  private final InetAddress nsAddress;
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook;
  private boolean closed;

  private NetNs(String name, InetAddress hostAddress, InetAddress nsAddress) {
    this.name = name;
    this.hostIf = name + "h";
    this.nsIf = name + "n";
    this.hostAddress = hostAddress;
    this.nsAddress = nsAddress;
    this.hook = new Thread(this::closeQuietly, "netns-cleanup " + name);
  }

  /**
   * Creates the namespace and the pair, both ends up; skips (or fails in CI) where that is not
   * possible, with a message saying why.
   */
  public static NetNs create() throws IOException, InterruptedException {
    assumeTrue(
        new UnixSystem().getUid() == 0,
        "network namespace tests need root (ip netns, veth); skipping");
    ExternalTools.require(
        IP != null && SS != null, "iproute2's ip and ss (for network namespace tests)");
    long pid = ProcessHandle.current().pid();
    String name = "ffk" + pid + Character.forDigit(COUNTER.getAndIncrement() % 36, 36);
    int block = freeBlock(pid);
    InetAddress host = InetAddress.getByAddress(v4(block, 1));
    InetAddress ns = InetAddress.getByAddress(v4(block, 2));
    NetNs n = new NetNs(name, host, ns);
    Runtime.getRuntime().addShutdownHook(n.hook);
    try {
      n.ip("netns", "add", name);
      n.ip("link", "add", n.hostIf, "type", "veth", "peer", "name", n.nsIf);
      n.ip("link", "set", n.nsIf, "netns", name);
      n.ip("addr", "add", host.getHostAddress() + "/30", "dev", n.hostIf);
      n.ip("link", "set", n.hostIf, "up");
      n.ip("-n", name, "addr", "add", ns.getHostAddress() + "/30", "dev", n.nsIf);
      n.ip("-n", name, "link", "set", n.nsIf, "up");
      n.ip("-n", name, "link", "set", "lo", "up");
    } catch (IOException e) {
      n.close();
      ExternalTools.require(false, "network namespaces (" + e.getMessage() + ")");
    }
    return n;
  }

  /** This side's address on the pair. */
  public InetAddress hostAddress() {
    return hostAddress;
  }

  /** The namespace's address on the pair. */
  public InetAddress nsAddress() {
    return nsAddress;
  }

  /**
   * Starts {@code command} inside the namespace; its output lines (stdout and stderr) go to the
   * returned queue. Killed by {@link #close}.
   */
  public Process start(BlockingQueue<String> output, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(IP.toString(), "netns", "exec", name));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  output.add(line);
                }
              } catch (IOException e) {
                output.add("(reading output failed: " + e + ")");
              }
            },
            "netns-output " + name);
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  /**
   * Starts {@code netns_peer.py} (next to this class) with {@code /usr/bin/python3} inside the
   * namespace: {@code tls-client}, {@code tls-server} or {@code torctl}, see the script.
   */
  public Process startPeer(BlockingQueue<String> output, String... args) throws IOException {
    ExternalTools.require(Files.isExecutable(PYTHON), PYTHON.toString());
    String script;
    try (var in = NetNs.class.getResourceAsStream("netns_peer.py")) {
      if (in == null) {
        throw new IOException("netns_peer.py is not on the test class path");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
    cmd.addAll(List.of(args));
    return start(output, cmd.toArray(new String[0]));
  }

  /** The next output line, waiting up to {@code seconds}; fails naming {@code what}. */
  public static String awaitLine(BlockingQueue<String> output, long seconds, String what)
      throws InterruptedException {
    String line = output.poll(seconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no " + what + " within " + seconds + " s");
    }
    return line;
  }

  /**
   * Waits until every TCP connection from here to the namespace has all it sent acknowledged (the
   * peer's delayed ACK can take 40 ms), so that a test that then cuts the link knows whether data
   * was in flight. Reads {@code ss}'s Send-Q.
   */
  public void awaitAllAcknowledged(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lines = "";
    while (System.nanoTime() - deadline < 0) {
      lines = run(List.of(SS.toString(), "-Htn", "dst", nsAddress.getHostAddress()), false, false);
      boolean idle = true;
      for (String line : lines.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 2 && !f[2].equals("0")) {
          idle = false;
        }
      }
      if (idle) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new AssertionError("data to the namespace still unacknowledged: " + lines);
  }

  /** Downs the namespace's end: from now on the namespace neither receives nor sends. */
  public void cutLink() throws IOException, InterruptedException {
    ip("-n", name, "link", "set", nsIf, "down");
  }

  /** Ups the namespace's end again. */
  public void restoreLink() throws IOException, InterruptedException {
    ip("-n", name, "link", "set", nsIf, "up");
  }

  @Override
  public void close() {
    closeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run.
    }
  }

  private synchronized void closeQuietly() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process p : processes) {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Deleting the namespace destroys its end, and with it the pair; the second is a fallback.
    for (List<String> args :
        List.of(List.of("netns", "delete", name), List.of("link", "delete", hostIf))) {
      try {
        run(args, true);
      } catch (IOException | InterruptedException e) {
        // Already gone, or nothing to do about it here.
      }
    }
  }

  private void ip(String... args) throws IOException, InterruptedException {
    run(List.of(args), false);
  }

  private static String run(List<String> args, boolean quiet)
      throws IOException, InterruptedException {
    return run(args, quiet, true);
  }

  private static String run(List<String> args, boolean quiet, boolean ip)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (ip) {
      cmd.add(IP.toString());
    }
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + ": did not finish within 10 s");
    }
    if (p.exitValue() != 0 && !quiet) {
      throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  /** A /30 of 10.211.0.0/16 (index 0..16383) on which no address or route exists yet. */
  private static int freeBlock(long pid) throws IOException, InterruptedException {
    String used =
        run(List.of("-4", "-o", "addr", "show"), false)
            + "\n"
            + run(List.of("-4", "route", "show", "table", "all"), false);
    for (int i = 0; i < 16384; i++) {
      int block = (int) ((pid * 7 + i) % 16384);
      byte[] net = v4(block, 0);
      String prefix = "10.211." + (net[2] & 0xff) + "." + (net[3] & 0xff);
      String a = "10.211." + (net[2] & 0xff) + "." + ((net[3] & 0xff) + 1);
      String b = "10.211." + (net[2] & 0xff) + "." + ((net[3] & 0xff) + 2);
      if (!containsAddress(used, prefix)
          && !containsAddress(used, a)
          && !containsAddress(used, b)) {
        return block;
      }
    }
    throw new IOException("no free /30 left in 10.211.0.0/16");
  }

  private static boolean containsAddress(String text, String address) {
    int i = text.indexOf(address);
    while (i >= 0) {
      int end = i + address.length();
      boolean startOk =
          i == 0 || !Character.isDigit(text.charAt(i - 1)) && text.charAt(i - 1) != '.';
      boolean endOk = end == text.length() || !Character.isDigit(text.charAt(end));
      if (startOk && endOk) {
        return true;
      }
      i = text.indexOf(address, i + 1);
    }
    return false;
  }

  private static byte[] v4(int block, int host) {
    int low = block * 4 + host;
    return new byte[] {10, (byte) 211, (byte) (low >> 8), (byte) (low & 0xff)};
  }

  private static Path find(String tool) {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
