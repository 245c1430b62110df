package org.flashflow.coord.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.coord.CoordSettings;
import org.flashflow.torctl.TorControlSettings;
import org.flashflow.torctl.TorEndpoint;
import org.flashflow.torctl.TorLaunchSettings;
import org.flashflow.torctl.TorSession;

/**
 * The coordinator's configuration, read and checked once at startup, so that a bad value stops the
 * daemon before it opens any socket.
 */
public record CoordConfig(
    Path datadir,
    Path keydir,
    Path key,
    Path resultsdir,
    Path resultsLog,
    HostPort listenAddr,
    HostPort ctrlAddr,
    Path v3bw,
    Duration maxResultsAge,
    CoordSettings settings,
    TorSession.Mode tor,
    Duration torReconnectMaxBackoff) {

  /** Reads every key the coordinator uses; the first bad one fails with its name and value. */
  public static CoordConfig from(Config c) throws ConfigException {
    int measDuration =
        c.integer("meas_params", "meas_duration", 1, CoordSettings.MAX_MEAS_DURATION);
    Duration active =
        c.optionalDuration("meas_params", "active_timeout")
            .orElse(Duration.ofSeconds(measDuration).plus(CoordSettings.ACTIVE_TIMEOUT_SLACK));
    CoordSettings settings;
    try {
      settings =
          new CoordSettings(
              measDuration,
              c.fraction("meas_params", "bg_percent"),
              c.integer("schedule", "num_circs", 1, 100_000),
              positive(c, "meas_params", "setup_timeout"),
              positive(c, "meas_params", "report_timeout"),
              active);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(c.source() + ": [meas_params] " + e.getMessage());
    }
    return new CoordConfig(
        c.path("coord", "datadir"),
        c.path("coord", "keydir"),
        c.path("coord", "key"),
        c.path("coord", "resultsdir"),
        c.path("coord", "results_log"),
        c.address("coord", "listen_addr"),
        c.address("coord", "ctrl_addr"),
        c.path("v3bw", "v3bw"),
        positive(c, "v3bw", "max_results_age"),
        settings,
        torMode(c, c.path("coord", "tor_datadir")),
        positive(c, "tor", "reconnect_max_backoff"));
  }

  /**
   * The {@code [tor]} section: attach to {@code control_addr} or {@code control_socket}, or launch
   * {@code tor_bin} with its data directory in {@code torDatadir}. Shared with the measurer.
   */
  public static TorSession.Mode torMode(Config c, Path torDatadir) throws ConfigException {
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
    return new TorControlSettings(e, s.password(), s.cookieFile(), s.commandTimeout());
  }

  private static Duration positive(Config c, String section, String key) throws ConfigException {
    Duration d = c.duration(section, key);
    if (d.isZero()) {
      throw ConfigException.badValue(section, key, c.string(section, key), "a positive duration");
    }
    return d;
  }
}
