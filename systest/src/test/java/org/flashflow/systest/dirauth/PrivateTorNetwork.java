package org.flashflow.systest.dirauth;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.RouterStatusParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Tor network of Debian's stock tor on 127.0.0.1, built as tor's own test networks
 * (chutney) build one: three directory authorities (keys from {@code tor-gencert}) and four exit
 * relays, voting every 10 seconds. {@link #start()} returns once every authority serves a consensus
 * listing all seven; {@link #close()} stops every tor by the PID in its {@code PidFile} (SIGTERM,
 * then SIGKILL after 10 s) and deletes the directory. A shutdown hook does the stopping too, should
 * the JVM end without closing it.
 */
final class PrivateTorNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrivateTorNetwork.class);

  static final int AUTHORITIES = 3;
  static final int RELAYS = 4;

  /** real-tor.md: a consensus after 6-18 s; give it room on a loaded 2-core CI machine. */
  private static final Duration CONSENSUS_TIMEOUT = Duration.ofSeconds(90);

  private static final int START_ATTEMPTS = 3;

  private static final Duration PID_FILE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  private static final int HTTP_TIMEOUT_MILLIS = 10_000;

  /** One tor of the network. Ports are fixed before start, except the control port (auto). */
  static final class Node {
    final String nickname;
    final boolean authority;
    final Path home;
    final int orPort;
    final int dirPort;
    String fingerprint;
    String v3ident;
    Process process;
    long pid;

    Node(String nickname, boolean authority, Path home, int orPort, int dirPort) {
      this.nickname = nickname;
      this.authority = authority;
      this.home = home;
      this.orPort = orPort;
      this.dirPort = dirPort;
    }

    Path datadir() {
      return home.resolve("data");
    }

    Path torrc() {
      return home.resolve("torrc");
    }

    Path pidFile() {
      return home.resolve("tor.pid");
    }

    Path noticeLog() {
      return home.resolve("notice.log");
    }

    Path stdout() {
      return home.resolve("stdout.log");
    }

    Path cookie() {
      return datadir().resolve("control_auth_cookie");
    }

    Path controlPortFile() {
      return home.resolve("control-port");
    }

    /** The control port tor chose and wrote to {@code ControlPortWriteToFile}. */
    int controlPort() throws IOException {
      String line = Files.readString(controlPortFile(), US_ASCII).strip();
      return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    /** The fingerprint, nickname and PID, and the end of tor's log, for a failure message. */
    String describe() {
      StringBuilder sb = new StringBuilder();
      sb.append(nickname).append(' ').append(fingerprint).append(" pid ").append(pid);
      sb.append("\n--- last lines of ").append(noticeLog()).append(":\n").append(tail(noticeLog()));
      sb.append("\n--- last lines of ").append(stdout()).append(":\n").append(tail(stdout()));
      return sb.toString();
    }

    @Override
    public String toString() {
      return nickname;
    }
  }

  private final Path dir;
  private final List<Node> authorities = new ArrayList<>();
  private final List<Node> relays = new ArrayList<>();
  private String dirAuthorities = "";
  private final List<ServerSocket> heldPorts = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopAll, "private-tor-network-stop");
  private boolean hooked;

  private PrivateTorNetwork(Path dir) {
    this.dir = dir;
  }

  /**
   * Builds and starts the network; on any failure stops what it started and rethrows. The tors must
   * be told their ports in advance, so the ports are found free and held until just before the tors
   * start; should another process take one in that moment anyway (tor then fails with "Address
   * already in use"), the whole network is built again on other ports, up to {@link
   * #START_ATTEMPTS} times.
   */
  static PrivateTorNetwork start() throws IOException {
    for (int attempt = 1; ; attempt++) {
      long t0 = System.nanoTime();
      PrivateTorNetwork net = new PrivateTorNetwork(Files.createTempDirectory("ff-tornet-"));
      try {
        net.create();
        net.launch();
        net.awaitConsensus();
      } catch (IOException | RuntimeException | Error e) {
        boolean portTaken = net.aPortWasTaken();
        try {
          net.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (portTaken && attempt < START_ATTEMPTS) {
          log.warn("a port of the private Tor network was taken meanwhile; starting it again");
          continue;
        }
        throw e;
      }
      log.info(
          "private Tor network up in {} ms: {} authorities, {} relays, in {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
          AUTHORITIES,
          RELAYS,
          net.dir);
      return net;
    }
  }

  /** Whether a tor could not bind one of its ports. */
  private boolean aPortWasTaken() {
    for (Node n : nodes()) {
      for (Path file : List.of(n.noticeLog(), n.stdout())) {
        try {
          if (Files.exists(file)
              && Files.readString(file, UTF_8).contains("Address already in use")) {
            return true;
          }
        } catch (IOException e) {
          // no evidence either way from this file
        }
      }
    }
    return false;
  }

  List<Node> authorities() {
    return Collections.unmodifiableList(authorities);
  }

  List<Node> relays() {
    return Collections.unmodifiableList(relays);
  }

  List<Node> nodes() {
    return Stream.concat(authorities.stream(), relays.stream()).toList();
  }

  /**
   * The authority's current full consensus ({@code /tor/status-vote/current/consensus} on its
   * DirPort), or null while it has none.
   */
  String consensus(Node authority) throws IOException {
    return httpGet(authority.dirPort, "/tor/status-vote/current/consensus");
  }

  /** The authority's own vote ({@code /tor/status-vote/current/authority}), or null if none yet. */
  String ownVote(Node authority) throws IOException {
    return httpGet(authority.dirPort, "/tor/status-vote/current/authority");
  }

  /**
   * torrc lines for a client of this network (as the coordinator's tor is): the authorities, and
   * the options real-tor.md gives every tor of a network on loopback.
   */
  List<String> clientTorrcLines() {
    List<String> lines = new ArrayList<>(List.of("TestingTorNetwork 1"));
    lines.addAll(dirAuthorities.lines().toList());
    lines.addAll(
        List.of(
            "UseDefaultFallbackDirs 0",
            "AddressDisableIPv6 1",
            "PathsNeededToBuildCircuits 0.67",
            "MaxConsensusAgeForDiffs 1 minutes"));
    return lines;
  }

  /** Opens an authenticated control connection to {@code node}. */
  TorControl control(Node node) throws IOException {
    return TorControl.connect(node.controlPort(), node.cookie());
  }

  /** Every node's description and log tail, for failure messages. */
  String describe() {
    return nodes().stream().map(Node::describe).collect(Collectors.joining("\n\n"));
  }

  // ---- building

  private void create() throws IOException {
    List<Integer> ports = holdLoopbackPorts(AUTHORITIES * 2 + RELAYS);
    int next = 0;
    for (int i = 0; i < AUTHORITIES; i++) {
      String nick = "auth" + i;
      authorities.add(
          new Node(nick, true, dir.resolve(nick), ports.get(next), ports.get(next + 1)));
      next += 2;
    }
    for (int i = 0; i < RELAYS; i++) {
      String nick = "relay" + i;
      relays.add(new Node(nick, false, dir.resolve(nick), ports.get(next++), 0));
    }
    for (Node n : nodes()) {
      Files.createDirectories(n.home);
      Files.createDirectories(
          n.datadir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      if (n.authority) {
        authorityKeys(n);
      }
      n.fingerprint = relayFingerprint(n);
    }
    dirAuthorities =
        authorities.stream()
            .map(
                a ->
                    "DirAuthority "
                        + a.nickname
                        + " orport="
                        + a.orPort
                        + " no-v2 v3ident="
                        + a.v3ident
                        + " 127.0.0.1:"
                        + a.dirPort
                        + " "
                        + a.fingerprint
                        + "\n")
            .collect(Collectors.joining());
    for (Node n : nodes()) {
      Files.writeString(n.torrc(), torrc(n, dirAuthorities), UTF_8);
    }
  }

  /** {@code tor-gencert} with an empty passphrase on stdin; the v3ident is the certificate's. */
  private static void authorityKeys(Node a) throws IOException {
    Path keys = a.datadir().resolve("keys");
    Files.createDirectories(
        keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path cert = keys.resolve("authority_certificate");
    Exec.ok(
        List.of(
            "tor-gencert",
            "--create-identity-key",
            "--passphrase-fd",
            "0",
            "-m",
            "12",
            "-a",
            "127.0.0.1:" + a.dirPort,
            "-i",
            keys.resolve("authority_identity_key").toString(),
            "-s",
            keys.resolve("authority_signing_key").toString(),
            "-c",
            cert.toString()),
        "\n",
        TOOL_TIMEOUT);
    a.v3ident =
        Files.readAllLines(cert, US_ASCII).stream()
            .filter(l -> l.startsWith("fingerprint "))
            .map(l -> l.substring("fingerprint ".length()).strip())
            .findFirst()
            .orElseThrow(() -> new IOException("no fingerprint line in " + cert));
  }

  /** {@code tor --list-fingerprint} creates the relay keys; the datadir's fingerprint file. */
  private static String relayFingerprint(Node n) throws IOException {
    Exec.ok(
        List.of(
            "tor",
            "--ignore-missing-torrc",
            "-f",
            "/dev/null",
            "--orport",
            "1",
            "--datadirectory",
            n.datadir().toString(),
            "--list-fingerprint"),
        "",
        TOOL_TIMEOUT);
    String[] f = Files.readString(n.datadir().resolve("fingerprint"), US_ASCII).strip().split(" ");
    String fp = f[f.length - 1];
    if (!fp.matches("[0-9A-F]{40}")) {
      throw new IOException("unexpected fingerprint file of " + n + ": " + String.join(" ", f));
    }
    return fp;
  }

  /** The torrc of real-tor.md, plus Address 127.0.0.1 so no tor guesses a non-loopback address. */
  private static String torrc(Node n, String dirAuthorities) {
    StringBuilder sb = new StringBuilder();
    sb.append("TestingTorNetwork 1\n")
        .append(dirAuthorities)
        .append("UseDefaultFallbackDirs 0\n")
        .append("AddressDisableIPv6 1\n")
        .append("AssumeReachable 1\n")
        .append("PathsNeededToBuildCircuits 0.67\n")
        .append("TestingDirAuthVoteGuard *\n")
        .append("TestingDirAuthVoteExit *\n")
        .append("TestingDirAuthVoteHSDir *\n")
        .append("TestingMinExitFlagThreshold 0\n")
        .append("V3AuthNIntervalsValid 2\n")
        .append("TestingV3AuthInitialVotingInterval 10\n")
        .append("TestingV3AuthInitialVoteDelay 2\n")
        .append("TestingV3AuthInitialDistDelay 2\n")
        .append("V3AuthVotingInterval 10\n")
        .append("V3AuthVoteDelay 2\n")
        .append("V3AuthDistDelay 2\n")
        .append("MaxConsensusAgeForDiffs 1 minutes\n")
        .append("Address 127.0.0.1\n")
        .append("SocksPort 0\n")
        .append("ControlPort 127.0.0.1:auto\n")
        .append("ControlPortWriteToFile ")
        .append(n.controlPortFile())
        .append('\n')
        .append("CookieAuthentication 1\n")
        .append("DataDirectory ")
        .append(n.datadir())
        .append('\n')
        .append("PidFile ")
        .append(n.pidFile())
        .append('\n')
        .append("Log notice file ")
        .append(n.noticeLog())
        .append('\n')
        .append("Nickname ")
        .append(n.nickname)
        .append('\n')
        .append("ContactInfo flashflow-systest\n")
        .append("ORPort 127.0.0.1:")
        .append(n.orPort)
        .append('\n');
    if (n.authority) {
      sb.append("DirPort 127.0.0.1:")
          .append(n.dirPort)
          .append('\n')
          .append("AuthoritativeDirectory 1\n")
          .append("V3AuthoritativeDirectory 1\n")
          .append("ExitPolicy reject *:*\n");
    } else {
      sb.append("ExitPolicy accept *:*\n");
    }
    return sb.toString();
  }

  /**
   * Distinct free ports on 127.0.0.1, held (bound) until {@link #launch} releases them just before
   * the tors bind them, so that nothing else is given them while keys are made.
   */
  private List<Integer> holdLoopbackPorts(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      ServerSocket s = new ServerSocket();
      heldPorts.add(s);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }
    return heldPorts.stream().map(ServerSocket::getLocalPort).toList();
  }

  private void releasePorts() {
    for (ServerSocket s : heldPorts) {
      try {
        s.close();
      } catch (IOException e) {
        log.warn("closing a held port: {}", e.toString());
      }
    }
    heldPorts.clear();
  }

  /**
   * Distinct free ports on 127.0.0.1: all held open together, then released. Only for a tor that
   * does not bind them ({@code --verify-config}).
   */
  static List<Integer> freeLoopbackPorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  // ---- running

  private void launch() throws IOException {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    hooked = true;
    releasePorts();
    for (Node n : nodes()) {
      ProcessBuilder pb = new ProcessBuilder("tor", "-f", n.torrc().toString());
      pb.redirectErrorStream(true);
      pb.redirectOutput(n.stdout().toFile());
      n.process = pb.start();
      n.process.getOutputStream().close();
    }
    for (Node n : nodes()) {
      n.pid =
          Deadline.await(
              PID_FILE_TIMEOUT,
              () -> pidOrFail(n),
              () -> "tor " + n + " to write its PidFile " + n.pidFile() + "\n" + n.describe());
      if (n.pid != n.process.pid()) {
        log.warn("tor {}: PidFile says {}, the started process is {}", n, n.pid, n.process.pid());
      }
    }
  }

  /** The PID in the node's PidFile, null while there is none; fails if its tor has exited. */
  private static Long pidOrFail(Node n) {
    try {
      String text = Files.readString(n.pidFile(), US_ASCII).strip();
      if (!text.isEmpty()) {
        return Long.parseLong(text);
      }
    } catch (NoSuchFileException e) {
      // not yet
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!n.process.isAlive()) {
      throw new AssertionError(
          "tor " + n + " exited with " + n.process.exitValue() + " at start\n" + n.describe());
    }
    return null;
  }

  private void awaitConsensus() {
    Set<String> all = nodes().stream().map(n -> n.fingerprint).collect(Collectors.toSet());
    StringBuilder last = new StringBuilder();
    Deadline.await(
        CONSENSUS_TIMEOUT,
        () -> {
          last.setLength(0);
          for (Node a : authorities) {
            String c;
            try {
              c = consensus(a);
            } catch (IOException e) {
              last.append(a).append(": ").append(e).append('\n');
              return null;
            }
            Set<String> listed =
                c == null
                    ? Set.of()
                    : RouterStatusParser.parse(c).stream()
                        .map(RouterStatus::fingerprint)
                        .collect(Collectors.toSet());
            if (!listed.containsAll(all)) {
              last.append(a)
                  .append(" lists ")
                  .append(listed.size())
                  .append(" of ")
                  .append(all.size())
                  .append('\n');
              return null;
            }
          }
          return Boolean.TRUE;
        },
        () ->
            "every authority to serve a consensus listing all "
                + all.size()
                + " tors; last seen:\n"
                + last
                + "\n"
                + describe());
  }

  /** A plain HTTP/1.0 GET from tor's DirPort; the body, or null unless the status is 200. */
  private static String httpGet(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), HTTP_TIMEOUT_MILLIS);
      s.setSoTimeout(HTTP_TIMEOUT_MILLIS);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), UTF_8);
      int end = response.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new IOException("no HTTP header from 127.0.0.1:" + port + path + ": " + response);
      }
      String status = response.substring(0, response.indexOf("\r\n"));
      return status.matches("HTTP/1\\.\\d 200 .*") ? response.substring(end + 4) : null;
    }
  }

  // ---- stopping

  /** Stops every tor and deletes the network's directory. */
  @Override
  public void close() throws IOException {
    releasePorts();
    stopAll();
    if (hooked) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down; the hook runs (and finds nothing left to stop)
      }
      hooked = false;
    }
    deleteRecursively(dir);
  }

  /**
   * SIGTERM to the PID of each tor's PidFile (and to the process we started, should that differ),
   * waits up to 10 s, then SIGKILL to any left and waits again.
   */
  private synchronized void stopAll() {
    List<ProcessHandle> handles = new ArrayList<>();
    for (Node n : nodes()) {
      if (n.pid > 0) {
        ProcessHandle.of(n.pid).filter(PrivateTorNetwork::isTor).ifPresent(handles::add);
      }
      if (n.process != null && n.process.isAlive() && n.process.pid() != n.pid) {
        handles.add(n.process.toHandle());
      }
    }
    handles.forEach(ProcessHandle::destroy);
    if (!awaitGone(handles, STOP_TIMEOUT)) {
      for (ProcessHandle h : handles) {
        if (h.isAlive()) {
          log.warn("tor pid {} still running {} s after SIGTERM: SIGKILL", h.pid(), 10);
          h.destroyForcibly();
        }
      }
      if (!awaitGone(handles, STOP_TIMEOUT)) {
        log.error("tor processes survived SIGKILL: {}", handles);
      }
    }
  }

  private static boolean isTor(ProcessHandle h) {
    return h.info().command().map(c -> c.equals("tor") || c.endsWith("/tor")).orElse(true);
  }

  private static boolean awaitGone(List<ProcessHandle> handles, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (handles.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return true;
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The last 15 lines of a file, or why there are none. */
  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  /** For tests: the node with this fingerprint. */
  Optional<Node> byFingerprint(String fp) {
    return nodes().stream().filter(n -> n.fingerprint.equals(fp)).findFirst();
  }
}
