package org.flashflow.torctl.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.model.TorEndpoint;

/** Reads the {@code [tor]} section of a config into how a {@link TorSession} reaches its tor. */
public final class TorSessionConfig {
  private TorSessionConfig() {}

  /**
   * The {@code [tor]} section: attach to {@code control_addr} or {@code control_socket}, or launch
   * {@code tor_bin} with its data directory in {@code torDatadir}. Shared by the coordinator and
   * the measurer.
   */
  public static TorSession.Mode mode(Config c, Path torDatadir) throws ConfigException {
    Optional<HostPort> addr = c.optionalAddress("tor", "control_addr");
    Optional<Path> socket = c.optionalPath("tor", "control_socket");
    if (addr.isPresent() && socket.isPresent()) {
      throw ConfigException.badValue(
          "tor",
          "control_socket",
          socket.get().toString(),
          "at most one of control_addr and control_socket");
    }
    TorControlSettings control =
        new TorControlSettings(
            new TorEndpoint.UnixSocket(Path.of("unused")),
            c.optionalString("tor", "control_password"),
            c.optionalPath("tor", "cookie_file"),
            positive(c, "tor", "command_timeout"));
    if (addr.isPresent()) {
      HostPort hp = addr.get();
      if (hp.port() == 0) {
        throw ConfigException.badValue(
            "tor", "control_addr", hp.toString(), "host:port of tor's ControlPort (not port 0)");
      }
      return new TorSession.Mode.Attach(
          withEndpoint(control, new TorEndpoint.Tcp(hp.host(), hp.port())));
    }
    if (socket.isPresent()) {
      return new TorSession.Mode.Attach(
          withEndpoint(control, new TorEndpoint.UnixSocket(socket.get())));
    }
    return new TorSession.Mode.Launch(
        TorLaunchSettings.of(
            c.string("tor", "tor_bin"), torDatadir, c.lines("tor", "torrc_extra_lines")),
        control);
  }

  private static TorControlSettings withEndpoint(TorControlSettings s, TorEndpoint e) {
    return s.withEndpoint(e);
  }

  /** {@code [tor] reconnect_max_backoff}. */
  public static Duration maxBackoff(Config c) throws ConfigException {
    return positive(c, "tor", "reconnect_max_backoff");
  }

  private static Duration positive(Config c, String section, String key) throws ConfigException {
    Duration d = c.duration(section, key);
    if (d.isZero()) {
      throw ConfigException.badValue(section, key, c.string(section, key), "a positive duration");
    }
    return d;
  }
}
