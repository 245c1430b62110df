package org.flashflow.common.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;

/**
 * The HTTP endpoint Prometheus scrapes ({@code GET /metrics}), served by the client library's own
 * server on its own daemon threads. A scrape only reads the registry's metrics, which are
 * thread-safe; it never touches a daemon's state.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** The host of a bare port: metrics say a lot about the operator's setup, so keep them local. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  private final HTTPServer server;
  private final InetSocketAddress address;

  private MetricsEndpoint(HTTPServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /**
   * {@code [metrics] addr}: empty means no endpoint; a bare port means {@value #DEFAULT_HOST};
   * otherwise {@code host:port} as everywhere else.
   */
  public static Optional<HostPort> address(Config c) throws ConfigException {
    String v = c.string("metrics", "addr").strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (PORT.matcher(v).matches()) {
        return Optional.of(new HostPort(DEFAULT_HOST, Integer.parseInt(v)));
      }
      return Optional.of(HostPort.parse(v));
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(
          "metrics",
          "addr",
          v,
          "empty (no metrics), a port (on " + DEFAULT_HOST + ") or " + HostPort.EXPECTED);
    }
  }

  /**
   * Binds and starts serving {@code registry}; blocks until bound.
   *
   * @throws IOException "cannot serve metrics on host:port: reason"
   */
  public static MetricsEndpoint start(HostPort where, PrometheusRegistry registry)
      throws IOException {
    Objects.requireNonNull(registry, "registry");
    InetSocketAddress bind = where.toSocketAddress();
    if (bind.isUnresolved()) {
      throw new IOException("cannot serve metrics on " + where + ": unknown host " + where.host());
    }
    HTTPServer server;
    try {
      server =
          HTTPServer.builder()
              .inetAddress(bind.getAddress())
              .port(where.port())
              .registry(registry)
              .buildAndStart();
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + where + ": " + e.getMessage(), e);
    }
    return new MetricsEndpoint(server, new InetSocketAddress(bind.getAddress(), server.getPort()));
  }

  /** Where it listens (the real port if 0 was asked for). */
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    server.close();
  }
}
