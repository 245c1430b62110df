package org.flashflow.coord.daemon;

import static java.util.Locale.ROOT;

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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.loop.LoopCalls;
import org.flashflow.common.loop.NettyLoop;
import org.flashflow.common.loop.ShutdownSequence;
import org.flashflow.common.metrics.MetricsEndpoint;
import org.flashflow.common.net.Transport;
import org.flashflow.common.tls.TlsContexts;
import org.flashflow.coord.control.ControlAuth;
import org.flashflow.coord.control.ControlServer;
import org.flashflow.coord.control.ControlService;
import org.flashflow.coord.control.CookieFile;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.core.MeasurementObserver;
import org.flashflow.coord.measurer.MeasurerServer;
import org.flashflow.coord.metrics.PrometheusCoordMetrics;
import org.flashflow.coord.results.CleanupTimer;
import org.flashflow.coord.results.ResultsCleanup;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.coord.results.ResultsLogWriter;
import org.flashflow.coord.schedule.ScheduleRunner;
import org.flashflow.coord.schedule.ScheduleWiring;
import org.flashflow.coord.tor.TorBridge;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.V3bwGenerator;
import org.flashflow.coord.v3bw.V3bwService;
import org.flashflow.coord.v3bw.V3bwTimer;
import org.flashflow.torctl.model.NewConsensusEvent;
import org.flashflow.torctl.model.TorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running coordinator: wires the core to one Netty event loop, the measurer TLS server, the
 * control socket, tor and the results files, and takes it all down in order.
 *
 * <p>Shutdown order matters: fail live measurements (their SHUTDOWN records go to the results log
 * and their measurers are told), then stop accepting and close connections and tor, wait until the
 * log is durable, and close the loop.
 */
public final class CoordDaemon {
  private static final Logger log = LoggerFactory.getLogger(CoordDaemon.class);
  private static final Duration RESULTS_DRAIN = Duration.ofSeconds(10);
  private static final Duration CLEANUP_PERIOD = Duration.ofDays(1);

  private final CoordConfig config;
  private final ShutdownSequence shutdown;
  private final NettyLoop loop;
  private final ExecutorService fileIo;
  private final ResultsLogWriter results;
  private final V3bwService v3bw;
  private final CleanupTimer cleanup;
  private final V3bwTimer v3bwTimer;
  private final ScheduleRunner schedule; // null: [schedule] enabled = false
  private final TorBridge tor;
  private final Coordinator coordinator;
  private final MeasurerServer measurerServer;
  private final ControlServer controlServer;
  private final PrometheusRegistry registry; // null: [metrics] addr is empty
  private final String softwareVersion;
  private MetricsEndpoint metricsEndpoint;
  private InetSocketAddress measurerAddress;
  private InetSocketAddress controlAddress;

  private CoordDaemon(
      CoordConfig config, Clock clock, String softwareVersion, ControlAuth controlAuth)
      throws IOException {
    this.config = config;
    this.softwareVersion = softwareVersion;
    SslContext tls = tlsContext(config);
    CoordMetrics metrics = CoordMetrics.NONE;
    if (config.metricsAddr().isPresent()) {
      this.registry = new PrometheusRegistry();
      metrics = new PrometheusCoordMetrics(registry, clock, softwareVersion);
    } else {
      this.registry = null;
    }
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("coord-loop"), Transport.ioHandlerFactory());
    this.shutdown = new ShutdownSequence("coordinator", group, log);
    EventLoop eventLoop = group.next();
    this.loop = new NettyLoop(eventLoop, clock);
    this.fileIo =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "v3bw-io");
              t.setDaemon(true);
              return t;
            });
    var sink =
        new Object() {
          Coordinator coordinator;
          V3bwService v3bw;
          ScheduleRunner schedule;
        };
    this.results =
        new ResultsLogWriter(
            config.resultsLog(),
            loop,
            // the writer logs the ERROR itself, at most once a minute
            e -> log.debug("results log {} cannot be written: {}", config.resultsLog(), e),
            record -> sink.v3bw.recordWritten(record),
            metrics);
    this.tor =
        new TorBridge(
            loop,
            config.tor(),
            config.torReconnectMaxBackoff(),
            (state, detail) -> {
              sink.coordinator.torStateChanged(state, detail);
              if (state == TorState.READY || state == TorState.NO_FLASHFLOW) {
                sink.v3bw.refreshConsensus();
                if (sink.schedule != null) {
                  sink.schedule.consensusChanged(); // a NEWCONSENSUS may have been missed
                }
              }
            },
            event -> {
              if (event instanceof NewConsensusEvent c) {
                log.debug("tor has a new consensus ({} relays)", c.relays());
                if (sink.schedule != null) {
                  sink.schedule.consensusChanged();
                }
              } else {
                sink.coordinator.torEvent(event);
              }
            });
    MeasurementObserver observer =
        (record, estimate) -> {
          if (sink.schedule != null) {
            sink.schedule.measurementEnded(record, estimate);
          }
        };
    this.coordinator =
        new Coordinator(
            loop, config.settings(), tor, results, observer, new SecureRandom(), metrics);
    sink.coordinator = coordinator;
    this.v3bw =
        new V3bwService(
            loop,
            tor,
            new V3bwGenerator(
                config.resultsLog(),
                config.v3bw(),
                config.v3bwSettings(),
                clock.instant(),
                softwareVersion,
                clock),
            new ConsensusStore(config.datadir()),
            fileIo,
            clock,
            new ResultsLogReader(config.resultsLog()),
            metrics);
    sink.v3bw = v3bw;
    this.v3bwTimer = new V3bwTimer(loop, v3bw, config.schedule().v3bwInterval());
    this.schedule =
        config.schedule().enabled()
            ? ScheduleWiring.runner(
                config.schedule(),
                loop,
                coordinator,
                tor,
                v3bw,
                fileIo,
                clock,
                metrics,
                config.resultsLog())
            : null;
    sink.schedule = schedule;
    ResultsCleanup cleanupFiles =
        new ResultsCleanup(config.resultsLog(), config.v3bw(), config.retention());
    this.cleanup =
        new CleanupTimer(
            loop,
            fileIo,
            CLEANUP_PERIOD,
            now -> {
              try {
                cleanupFiles.run(now);
              } catch (IOException | RuntimeException e) {
                log.error("cleanup of old results and bandwidth files failed: {}", e.toString());
                log.debug("cleanup failure", e);
              }
            });
    ControlService commands =
        new ControlService(coordinator, v3bw, this::statusLines, this::statusJson);
    this.measurerServer =
        new MeasurerServer(config.listenAddr().toSocketAddress(), eventLoop, tls, coordinator);
    CoordConfig.ControlConfig ctrl = config.control();
    this.controlServer =
        new ControlServer(
            new ControlServer.Access(
                ctrl.tcp().map(HostPort::toSocketAddress),
                ctrl.socket(),
                ctrl.group(),
                controlAuth),
            eventLoop,
            commands);
  }

  /**
   * Creates the directories, opens both listeners and starts connecting to tor. Fails at once, with
   * nothing left running, when a key is missing or a port is in use.
   */
  public static CoordDaemon start(CoordConfig config, Clock clock, String softwareVersion)
      throws IOException {
    DataDirs.create(config);
    DataDirs.removeLeftovers(config, Instant.now()); // file times are the real clock's
    ControlAuth controlAuth = controlAuth(config.control());
    CoordDaemon d = new CoordDaemon(config, clock, softwareVersion, controlAuth);
    try {
      d.measurerAddress = d.measurerServer.start();
      d.controlAddress = d.controlServer.start();
      if (d.registry != null) {
        d.metricsEndpoint = MetricsEndpoint.start(config.metricsAddr().get(), d.registry);
        log.info(
            "coordinator metrics on http://{}/metrics",
            HostPort.format(d.metricsEndpoint.address()));
      }
    } catch (IOException | RuntimeException e) {
      d.shutdown();
      throw e;
    }
    log.info(
        "coordinator listening for measurers on {} and for control commands on {} (transport {})",
        HostPort.format(d.measurerAddress),
        d.controlListeners(),
        Transport.name());
    // The file-I/O thread runs these in this order: the latest results are in memory before the
    // first bandwidth file is asked for (one made earlier streams the log instead).
    d.loop.execute(d.v3bw::loadLatest);
    d.loop.execute(d.cleanup::start);
    d.loop.execute(d.v3bwTimer::start);
    if (d.schedule != null) {
      d.loop.execute(d.schedule::start);
    }
    d.loop.execute(d.tor::start);
    return d;
  }

  private static SslContext tlsContext(CoordConfig config) throws IOException {
    if (!Files.isRegularFile(config.key())) {
      throw new IOException(
          "coordinator key "
              + config.key()
              + " not found; make one with 'flashflow keygen coord --out "
              + config.keydir()
              + "'");
    }
    List<Path> trusted = TlsContexts.trustedPemsIn(config.keydir(), config.key());
    if (trusted.isEmpty()) {
      log.warn(
          "no measurer certificates (*.pem) in {}: no measurer can connect until one is added"
              + " and the coordinator restarted",
          config.keydir());
    } else {
      log.info("trusting {} measurer certificate(s) in {}", trusted.size(), config.keydir());
    }
    return TlsContexts.server(config.key(), trusted);
  }

  /** A fresh cookie file for cookie authentication; none for the other modes. */
  private static ControlAuth controlAuth(CoordConfig.ControlConfig ctrl) throws IOException {
    switch (ctrl.auth()) {
      case NONE -> {
        return new ControlAuth.None();
      }
      case PASSWORD -> {
        return new ControlAuth.Password(ctrl.passwordHash().orElseThrow());
      }
      case COOKIE -> {
        Path file = ctrl.cookieFile();
        byte[] cookie = CookieFile.create(file, ctrl.group(), new SecureRandom());
        log.info("control cookie written to {}", file);
        return new ControlAuth.Cookie(cookie);
      }
    }
    throw new AssertionError(ctrl.auth());
  }

  /** Where control commands are accepted, for the start log and {@code status}. */
  private String controlListeners() {
    CoordConfig.ControlConfig ctrl = config.control();
    List<String> parts = new ArrayList<>();
    if (controlAddress != null) {
      parts.add(
          HostPort.format(controlAddress) + " (auth " + ctrl.auth().name().toLowerCase(ROOT) + ")");
    }
    ctrl.socket().ifPresent(p -> parts.add(p.toString()));
    return parts.isEmpty() ? "nowhere (no ctrl_addr, no ctrl_socket)" : String.join(" and ", parts);
  }

  private List<String> statusLines() {
    List<String> lines = new ArrayList<>();
    lines.add("measurer listener: " + HostPort.format(measurerAddress));
    lines.add("control: " + controlListeners());
    lines.add("results log: " + config.resultsLog());
    lines.add(v3bw.statusLine());
    lines.add(v3bw.voteStatusLine());
    if (schedule != null) {
      lines.addAll(schedule.statusLines());
    } else {
      lines.add("schedule: disabled ([schedule] enabled = false)");
    }
    return lines;
  }

  /**
   * The parts of {@code status json} beyond the core's (docs/operations.md, "Status as JSON"), on
   * the loop.
   */
  private Map<String, Object> statusJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", softwareVersion);
    if (schedule != null) {
      m.put("schedule", schedule.statusJson());
    } else {
      m.put("schedule", Map.of("enabled", false));
    }
    m.put(
        "bandwidth_file",
        v3bw.lastWritten()
            .map(
                g -> {
                  Map<String, Object> f = new LinkedHashMap<>();
                  f.put("path", g.path().toString());
                  f.put("written", g.at().toString());
                  f.put("measured_relays", g.relays());
                  return (Object) f;
                })
            .orElse(null));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("path", config.resultsLog().toString());
    OptionalInt inMemory = v3bw.relaysInMemory();
    r.put("latest_results_loaded", inMemory.isPresent());
    r.put("relays_in_memory", inMemory.isPresent() ? inMemory.getAsInt() : null);
    m.put("results_log", r);
    return m;
  }

  /** Where metrics are served; empty when {@code [metrics] addr} is empty. */
  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metricsEndpoint).map(MetricsEndpoint::address);
  }

  public InetSocketAddress measurerAddress() {
    return measurerAddress;
  }

  public InetSocketAddress controlAddress() {
    return controlAddress;
  }

  /**
   * Makes the results writer reopen {@code results_log} by name before its next record (the
   * operator's {@code SIGHUP} after rotating the log). Safe from any thread, also a signal
   * handler's; loses no record.
   */
  public void reopenLogs() {
    log.info("reopening the results log {}", config.resultsLog());
    results.reopen();
  }

  /** Blocks until {@link #shutdown} has finished. */
  public void awaitTermination() throws InterruptedException {
    shutdown.await();
  }

  /**
   * Fails live measurements (SHUTDOWN records), stops accepting, closes measurers and tor, waits
   * until the results log is durable, closes the loop. Blocks; call it from any thread but the
   * loop. Calling it again waits for the first call to finish.
   */
  public void shutdown() {
    shutdown.run(this::shutdownSteps);
  }

  private void shutdownSteps() {
    // The core first: closing the measurer connections first would fail live measurements as
    // MEASURER_LOST before the core could record them as SHUTDOWN and tell the measurers why.
    // The schedule first, so that it saves live measurements as running (planned again after a
    // restart, no attempt counted) rather than as failed by the shutdown.
    if (schedule != null) {
      onLoop("stopping the schedule", schedule::stop);
    }
    onLoop("stopping the bandwidth file timer", v3bwTimer::stop);
    onLoop("failing live measurements", coordinator::shutdown);
    measurerServer.close();
    controlServer.close();
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    onLoop("closing tor", tor::close);
    onLoop("stopping the cleanup timer", cleanup::stop);
    if (!results.close(RESULTS_DRAIN)) {
      log.error("some results could not be written before shutdown");
    }
    fileIo.shutdown();
    try {
      if (!fileIo.awaitTermination(RESULTS_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("file work (state file, bandwidth file, cleanup) still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs one shutdown step on the loop and waits for it, up to {@link #RESULTS_DRAIN}. */
  private void onLoop(String what, Runnable task) {
    LoopCalls.runStep(
        loop::execute, "shutting down the coordinator: " + what, task, RESULTS_DRAIN, log);
  }
}
