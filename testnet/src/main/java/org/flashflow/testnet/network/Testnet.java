package org.flashflow.testnet.network;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.flashflow.common.io.AtomicFiles;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.common.tls.PemFiles;
import org.flashflow.testnet.Directory;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.RelaySpec;
import org.flashflow.testnet.TestnetConfig;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.TorAccess;
import org.flashflow.testnet.control.ControlAuth;
import org.flashflow.testnet.control.ControlPort;
import org.flashflow.testnet.relay.EmulatedRelay;
import org.flashflow.testnet.relay.OrServer;
import org.flashflow.testnet.tor.CoordTor;
import org.flashflow.testnet.tor.EmulatedMeasurerTor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running emulated FlashFlow network, in this process: the coordinator's tor, one tor per
 * measurer, and the relays. Three event loops, one per concern, each owning its state: the
 * coordinator's tor, the measurers' tors (control ports and their measurement connections), and the
 * relays (OR ports, token buckets, reports). Close it to stop everything.
 *
 * <p>TLS on the OR ports: all relays present one self-signed certificate, {@code
 * <datadir>/keys/or.pem} (generated once, kept across starts); the measurers' tors trust exactly
 * that certificate.
 */
public final class Testnet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Testnet.class);

  private final List<EventLoopGroup> groups;
  private final List<ControlPort> controlPorts;
  private final List<OrServer> orServers;
  private final List<EmulatedRelay> relays;
  private final EventLoop relayLoop;
  private final TorAccess coordinatorTor;
  private final Map<String, TorAccess> measurerTors;
  private final Directory directory;
  private final Path portsFile;
  private final String summary;
  private final CountDownLatch terminated = new CountDownLatch(1);

  private Testnet(Builder b) {
    this.groups = List.copyOf(b.groups);
    this.controlPorts = List.copyOf(b.controlPorts);
    this.orServers = List.copyOf(b.orServers);
    this.relays = List.copyOf(b.relays);
    this.relayLoop = b.relayLoop;
    this.coordinatorTor = b.coordinatorTor;
    this.measurerTors = Map.copyOf(b.measurerTors);
    this.directory = b.directory;
    this.portsFile = b.portsFile;
    this.summary = b.summary;
  }

  /**
   * Starts the network: writes keys and cookie files into the datadir, binds every port, writes
   * {@code ports.ini} and {@code network.txt} there.
   *
   * @throws IOException naming the file or address that failed; nothing is left running
   */
  public static Testnet start(TestnetConfig config) throws IOException {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(TestnetConfig)}, with the clock of CIRC events and router statuses. */
  public static Testnet start(TestnetConfig config, Clock clock) throws IOException {
    Builder b = new Builder();
    try {
      b.build(config, clock);
    } catch (IOException | RuntimeException e) {
      b.shutdown();
      throw e;
    }
    Testnet t = new Testnet(b);
    log.info(
        "testnet running: {} relays, {} measurer tors", t.relays.size(), t.measurerTors.size());
    return t;
  }

  /** The coordinator's tor. */
  public TorAccess coordinatorTor() {
    return coordinatorTor;
  }

  /** Each measurer's tor, by measurer name. */
  public Map<String, TorAccess> measurerTors() {
    return measurerTors;
  }

  /** The relays with their fingerprints and OR ports, in configuration order. */
  public List<RelayEntry> relays() {
    return directory.relays();
  }

  /** {@code <datadir>/ports.ini}. */
  public Path portsFile() {
    return portsFile;
  }

  /** What {@code flashflow testnet} prints: {@code [tor]} lines and the relays table. */
  public String summary() {
    return summary;
  }

  /**
   * Every emulated tor announces its consensus (a {@code 650+NEWCONSENSUS} event to the controllers
   * that subscribed), as a real tor does about once an hour. The relays do not change while the
   * network runs, so this only makes a coordinator read the consensus again.
   */
  public void announceConsensus() {
    controlPorts.forEach(ControlPort::announceConsensus);
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Stops every port, connection and loop, waiting a bounded time. Idempotent. */
  @Override
  public void close() {
    if (terminated.getCount() == 0) {
      return;
    }
    controlPorts.forEach(ControlPort::close);
    orServers.forEach(OrServer::close);
    relayLoop.execute(() -> relays.forEach(EmulatedRelay::stop));
    for (EventLoopGroup g : groups) {
      g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    log.info("testnet stopped");
    terminated.countDown();
  }

  /** Collects what start() creates, so a failure half-way can undo it. */
  private static final class Builder {
    final List<EventLoopGroup> groups = new ArrayList<>();
    final List<ControlPort> controlPorts = new ArrayList<>();
    final List<OrServer> orServers = new ArrayList<>();
    final List<EmulatedRelay> relays = new ArrayList<>();
    final Map<String, TorAccess> measurerTors = new LinkedHashMap<>();
    EventLoop relayLoop;
    TorAccess coordinatorTor;
    Directory directory;
    Path portsFile;
    String summary;

    void build(TestnetConfig c, Clock clock) throws IOException {
      Path datadir = c.datadir().toAbsolutePath();
      Files.createDirectories(datadir);
      Path orPem = datadir.resolve("keys").resolve("or.pem");
      if (!Files.exists(orPem)) {
        KeyGen.generate("flashflow-testnet-relays", orPem);
      }
      PrivateKey key = PemFiles.readPrivateKey(orPem);
      List<X509Certificate> chain = PemFiles.readCertificates(orPem);
      SslContext serverTls;
      SslContext clientTls;
      try {
        serverTls = SslContextBuilder.forServer(key, chain).protocols("TLSv1.3").build();
        clientTls =
            SslContextBuilder.forClient()
                .trustManager(chain)
                .protocols("TLSv1.3")
                .endpointIdentificationAlgorithm(null)
                .build();
      } catch (SSLException e) {
        throw new IOException(
            orPem + ": cannot use this key and certificate: " + e.getMessage(), e);
      }

      EventLoop coordLoop = loop("testnet-coord-tor");
      EventLoop measurerLoop = loop("testnet-measurer-tors");
      relayLoop = loop("testnet-relays");

      List<RelayEntry> entries = new ArrayList<>();
      Map<String, EmulatedRelay> byFp = new LinkedHashMap<>();
      int j = 0;
      for (RelaySpec spec : c.relays()) {
        EmulatedRelay relay =
            new EmulatedRelay(
                spec,
                c.bgPercent(),
                relayLoop,
                System::nanoTime,
                c.slowInterval(),
                c.maxMeasDuration(),
                c.flow());
        OrServer server = new OrServer(relay, serverTls, relayLoop);
        orServers.add(server);
        int port = server.bind(address(c, c.portBase() == 0 ? 0 : c.portBase() + 100 + j));
        relays.add(relay);
        byFp.put(spec.fingerprint(), relay);
        entries.add(new RelayEntry(spec, c.bind(), port));
        j++;
      }
      directory = new Directory(entries, c.seed(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
      relays.forEach(r -> relayLoop.execute(r::start));

      ControlAuth coordAuth = auth(c, datadir.resolve("tor-coord"));
      ControlPort coordPort = new ControlPort("coordinator tor", coordLoop, coordAuth, directory);
      coordPort.setExtensions(
          new CoordTor(
              coordPort,
              coordLoop,
              clock,
              directory,
              byFp,
              relayLoop,
              c.circuitTimeout(),
              c.maxMeasDuration()));
      controlPorts.add(coordPort);
      int coordPortNo = coordPort.bind(address(c, c.portBase()));
      coordinatorTor = torPort("coordinator", c, coordAuth, coordPortNo);

      int i = 0;
      for (String name : c.measurers()) {
        ControlAuth auth = auth(c, datadir.resolve("tor-" + name));
        ControlPort port =
            new ControlPort("measurer " + name + " tor", measurerLoop, auth, directory);
        port.setExtensions(
            new EmulatedMeasurerTor(
                name,
                port,
                measurerLoop,
                clock,
                System::nanoTime,
                directory,
                clientTls,
                c.circuitTimeout(),
                c.maxMeasDuration(),
                c.measurerLatency(name),
                c.flow()));
        controlPorts.add(port);
        int portNo = port.bind(address(c, c.portBase() == 0 ? 0 : c.portBase() + 1 + i));
        measurerTors.put(name, torPort("measurer " + name, c, auth, portNo));
        i++;
      }

      List<TorAccess> ms = List.copyOf(measurerTors.values());
      summary = Summary.text(coordinatorTor, ms, entries, c.bgPercent());
      portsFile = datadir.resolve("ports.ini");
      write(portsFile, Summary.portsIni(coordinatorTor, ms, entries));
      write(datadir.resolve("network.txt"), summary);
    }

    EventLoop loop(String name) {
      EventLoopGroup g =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory(name), NioIoHandler.newFactory());
      groups.add(g);
      return g.next();
    }

    void shutdown() {
      controlPorts.forEach(ControlPort::close);
      orServers.forEach(OrServer::close);
      for (EventLoopGroup g : groups) {
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }

    private static InetSocketAddress address(TestnetConfig c, int port) {
      return new InetSocketAddress(c.bind(), port);
    }

    /** Writes a fresh cookie (as tor does at every start) or takes the password. */
    private static ControlAuth auth(TestnetConfig c, Path torDir) throws IOException {
      if (c.auth() == AuthMode.NULL) {
        return ControlAuth.none();
      }
      if (c.auth() == AuthMode.PASSWORD) {
        return new ControlAuth(AuthMode.PASSWORD, new byte[0], Optional.empty(), c.password());
      }
      byte[] cookie = new byte[32];
      new SecureRandom().nextBytes(cookie);
      Path file = torDir.resolve("control_auth_cookie");
      Files.createDirectories(torDir);
      AtomicFiles.writeAtomically(file, cookie, PosixFilePermissions.fromString("rw-------"));
      return new ControlAuth(AuthMode.COOKIE, cookie, Optional.of(file), Optional.empty());
    }

    private static TorAccess torPort(String who, TestnetConfig c, ControlAuth auth, int port) {
      return new TorAccess(who, c.bind(), port, auth.cookieFile(), auth.password());
    }

    private static void write(Path file, String text) throws IOException {
      AtomicFiles.writeAtomically(
          file,
          text.getBytes(StandardCharsets.UTF_8),
          PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
