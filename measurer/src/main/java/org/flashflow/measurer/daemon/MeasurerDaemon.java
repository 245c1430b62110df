package org.flashflow.measurer.daemon;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.loop.LoopCalls;
import org.flashflow.common.loop.NettyLoop;
import org.flashflow.common.loop.ShutdownSequence;
import org.flashflow.common.metrics.MetricsEndpoint;
import org.flashflow.common.net.Transport;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.measurer.Measurer;
import org.flashflow.measurer.MeasurerMetrics;
import org.flashflow.measurer.MeasurerStatus;
import org.flashflow.measurer.metrics.PrometheusMeasurerMetrics;
import org.flashflow.measurer.net.CoordClient;
import org.flashflow.measurer.tor.MeasurerTor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running measurer: wires the core to one Netty event loop, the TLS connection to the
 * coordinator and its tor, and takes it all down in order.
 *
 * <p>Shutdown order: fail live measurements (so the coordinator hears why), close the coordinator
 * connection, close tor (stopping a tor we launched), then the loop.
 */
public final class MeasurerDaemon {
  private static final Logger LOG = LoggerFactory.getLogger(MeasurerDaemon.class);
  private static final Duration CORE_STOP = Duration.ofSeconds(10);

  private final ShutdownSequence shutdown;
  private final NettyLoop loop;
  private final MeasurerTor tor;
  private final Measurer measurer;
  private final CoordClient client;
  private final PrometheusRegistry registry; // null: [metrics] addr is empty
  private MetricsEndpoint metricsEndpoint;

  private MeasurerDaemon(MeasurerConfig config, Clock clock, SslContext tls, String version) {
    MeasurerMetrics metrics = MeasurerMetrics.NONE;
    if (config.metricsAddr().isPresent()) {
      this.registry = new PrometheusRegistry();
      metrics = new PrometheusMeasurerMetrics(registry, version);
    } else {
      this.registry = null;
    }
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("measurer-loop"), Transport.ioHandlerFactory());
    this.shutdown = new ShutdownSequence("measurer", group, LOG);
    EventLoop eventLoop = group.next();
    this.loop = new NettyLoop(eventLoop, clock);
    var sink =
        new Object() {
          Measurer measurer;
        };
    this.tor =
        new MeasurerTor(
            loop,
            config.tor(),
            config.torReconnectMaxBackoff(),
            (state, detail) -> sink.measurer.torStateChanged(state, detail),
            event -> sink.measurer.torEvent(event));
    this.measurer = new Measurer(loop, config.settings(), tor, metrics);
    sink.measurer = measurer;
    this.client = new CoordClient(config.coordAddr(), eventLoop, tls, measurer);
  }

  /**
   * Creates the data directory, loads the keys and starts connecting to tor and the coordinator.
   * Fails at once, with nothing left running, when a key or the coordinator's certificate is
   * missing or unusable.
   *
   * @param clock the wall clock the reports' {@code ts} come from
   */
  public static MeasurerDaemon start(MeasurerConfig config, Clock clock) throws IOException {
    return start(config, clock, "development");
  }

  /** As {@link #start(MeasurerConfig, Clock)}; {@code version} goes into the metrics. */
  public static MeasurerDaemon start(MeasurerConfig config, Clock clock, String version)
      throws IOException {
    for (Path dir : List.of(config.datadir(), config.keydir())) {
      createPrivateDirectory(dir);
    }
    MeasurerDaemon d = new MeasurerDaemon(config, clock, tlsContext(config), version);
    if (d.registry != null) {
      try {
        d.metricsEndpoint = MetricsEndpoint.start(config.metricsAddr().get(), d.registry);
      } catch (IOException e) {
        d.shutdown();
        throw e;
      }
      LOG.info(
          "measurer metrics on http://{}/metrics", HostPort.format(d.metricsEndpoint.address()));
    }
    LOG.info(
        "measurer starting: coordinator at {}, tor {} (transport {})",
        config.coordAddr(),
        d.tor.where(),
        Transport.name());
    d.loop.execute(d.tor::start);
    d.client.start();
    return d;
  }

  static SslContext tlsContext(MeasurerConfig config) throws IOException {
    Path key = config.key();
    if (!Files.isRegularFile(key)) {
      Path dir = key.toAbsolutePath().getParent();
      String stem = key.getFileName().toString().replaceFirst("\\.pem$", "");
      throw new IOException(
          "measurer key "
              + key
              + " not found; make one with 'flashflow keygen NAME --out "
              + dir
              + "' (NAME is how the coordinator will know this measurer) and set [measurer] key"
              + " to the file it writes, or use NAME "
              + stem
              + " to match the configured file name");
    }
    if (!Files.isRegularFile(config.coordCert())) {
      throw new IOException(
          "coordinator certificate "
              + config.coordCert()
              + " not found ([measurer] coord_cert); copy the coordinator's certificate there,"
              + " e.g. 'openssl x509 -in coord.pem > "
              + config.coordCert()
              + "' on the coordinator (the certificate only, never its key)");
    }
    return TlsContexts.client(key, config.coordCert());
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** A snapshot of the core, taken on the loop; blocks, so not for the loop itself. */
  public MeasurerStatus status() throws InterruptedException {
    try {
      return LoopCalls.call(loop::execute, measurer::status, CORE_STOP);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the measurer's status: " + e, e);
    }
  }

  /**
   * The measurer's answer to SIGHUP (systemd's {@code ExecReload}): it has nothing to reload (its
   * config is read once; a change needs a restart), so it logs one INFO line with its state
   * instead, and keeps running. Returns at once; safe from any thread, also a signal handler's.
   */
  public void logStatus() {
    loop.execute(
        () -> {
          MeasurerStatus s = measurer.status();
          LOG.info(
              "SIGHUP: coordinator {}, tor {}{}, {} live measurements, {} completed, {} failed;"
                  + " nothing to reload (a config change needs a restart)",
              s.coordConnected() ? "connected" : "not connected",
              s.torState(),
              s.torDetail() == null || s.torDetail().isEmpty() ? "" : " (" + s.torDetail() + ")",
              s.live().size(),
              s.completed(),
              s.failed());
        });
  }

  /** Where metrics are served; empty when {@code [metrics] addr} is empty. */
  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metricsEndpoint).map(MetricsEndpoint::address);
  }

  /** Blocks until {@link #shutdown} has finished. */
  public void awaitTermination() throws InterruptedException {
    shutdown.await();
  }

  /**
   * Fails live measurements (the coordinator is told), closes the coordinator connection, tor and
   * the loop. Blocks; call it from any thread but the loop. Calling it again waits for the first
   * call to finish.
   */
  public void shutdown() {
    shutdown.run(this::shutdownSteps);
  }

  private void shutdownSteps() {
    LoopCalls.runStep(
        loop::execute, "shutting down the measurer core", measurer::shutdown, CORE_STOP, LOG);
    client.close();
    LoopCalls.runStep(loop::execute, "closing tor", tor::close, CORE_STOP, LOG);
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
  }
}
