package org.flashflow.torctl.model;

import java.nio.file.Path;
import java.util.Objects;
import org.flashflow.common.config.HostPort;

/** Where a tor's control port listens: {@code [tor] control_addr} or {@code control_socket}. */
public sealed interface TorEndpoint {

  /** A TCP control port, e.g. {@code 127.0.0.1:9051}. */
  record Tcp(String host, int port) implements TorEndpoint {
    public Tcp {
      Objects.requireNonNull(host, "host");
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad tor control address " + host + ":" + port);
      }
    }

    @Override
    public String toString() {
      return HostPort.format(host, port);
    }
  }

  /** A Unix domain control socket ({@code ControlSocket} in the torrc). */
  record UnixSocket(Path path) implements TorEndpoint {
    public UnixSocket {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }
}
