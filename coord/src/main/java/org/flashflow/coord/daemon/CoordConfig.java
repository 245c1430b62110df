package org.flashflow.coord.daemon;

import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.metrics.MetricsEndpoint;
import org.flashflow.coord.control.PasswordHash;
import org.flashflow.coord.core.CoordSettings;
import org.flashflow.coord.results.RetentionPolicy;
import org.flashflow.coord.schedule.ScheduleConfig;
import org.flashflow.coord.v3bw.V3bwSettings;
import org.flashflow.torctl.session.TorLaunchSettings;
import org.flashflow.torctl.session.TorSession;
import org.flashflow.torctl.session.TorSessionConfig;

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
    ControlConfig control,
    Path v3bw,
    Optional<GroupPrincipal> v3bwGroup,
    Duration maxResultsAge,
    CoordSettings settings,
    TorSession.Mode tor,
    Duration torReconnectMaxBackoff,
    RetentionPolicy retention,
    V3bwSettings v3bwSettings,
    ScheduleConfig schedule,
    Optional<HostPort> metricsAddr) {

  /**
   * Put before the operator's {@code torrc_extra_lines} in a launched tor's torrc: a client tor
   * fetches only microdescriptors, and the bandwidth file needs the full server descriptors (their
   * {@code bandwidth} line caps {@code bw}). A later line of the operator's wins.
   */
  static final String FETCH_DESCRIPTORS = "FetchUselessDescriptors 1";

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
        control(c),
        c.path("v3bw", "v3bw"),
        Groups.v3bwGroup(c),
        positive(c, "v3bw", "max_results_age"),
        settings,
        withFullDescriptors(TorSessionConfig.mode(c, c.path("coord", "tor_datadir"))),
        TorSessionConfig.maxBackoff(c),
        retention(c),
        v3bwSettings(c, settings),
        ScheduleConfig.from(c),
        MetricsEndpoint.address(c));
  }

  /**
   * {@code [coord] ctrl_*}: who may send control commands.
   *
   * @param tcp {@code ctrl_addr}; empty: no TCP listener
   * @param socket {@code ctrl_socket}; empty: no Unix socket
   * @param group {@code ctrl_group} for the cookie file and the Unix socket; empty: the daemon's
   * @param auth {@code ctrl_auth}, for TCP only
   * @param cookieFile {@code ctrl_cookie_file}, written at each start when {@code auth} is cookie
   * @param passwordHash {@code ctrl_password_hash}, present when {@code auth} is password
   */
  public record ControlConfig(
      Optional<HostPort> tcp,
      Optional<Path> socket,
      Optional<GroupPrincipal> group,
      AuthMode auth,
      Path cookieFile,
      Optional<PasswordHash> passwordHash) {}

  /** {@code [coord] ctrl_auth}. */
  public enum AuthMode {
    COOKIE,
    PASSWORD,
    NONE
  }

  static ControlConfig control(Config c) throws ConfigException {
    String mode = c.string("coord", "ctrl_auth").strip().toLowerCase(Locale.ROOT);
    AuthMode auth =
        switch (mode) {
          case "cookie" -> AuthMode.COOKIE;
          case "password" -> AuthMode.PASSWORD;
          case "none" -> AuthMode.NONE;
          default ->
              throw ConfigException.badValue(
                  "coord", "ctrl_auth", c.string("coord", "ctrl_auth"), "cookie, password or none");
        };
    Optional<PasswordHash> hash = Optional.empty();
    String stored = c.string("coord", "ctrl_password_hash").strip();
    if (!stored.isEmpty()) {
      try {
        hash = Optional.of(PasswordHash.parse(stored));
      } catch (IllegalArgumentException e) {
        throw ConfigException.badValue("coord", "ctrl_password_hash", stored, e.getMessage());
      }
    }
    if (auth == AuthMode.PASSWORD && hash.isEmpty()) {
      throw ConfigException.badValue(
          "coord",
          "ctrl_password_hash",
          "",
          "a hash from 'flashflow hash-password' when ctrl_auth = password");
    }
    return new ControlConfig(
        c.optionalAddress("coord", "ctrl_addr"),
        c.optionalPath("coord", "ctrl_socket"),
        Groups.group(c, "coord", "ctrl_group"),
        auth,
        c.path("coord", "ctrl_cookie_file"),
        hash);
  }

  /** {@code [v3bw]} rules and the parameters the bandwidth file's header reports. */
  public static V3bwSettings v3bwSettings(Config c, CoordSettings settings) throws ConfigException {
    return new V3bwSettings(
        positive(c, "v3bw", "max_results_age"),
        c.integer("v3bw", "minimum_percent_eligible_relays", 0, 100),
        c.integer("v3bw", "minimum_number_eligible_relays", 0, Integer.MAX_VALUE),
        settings.bgPercent(),
        settings.measDuration(),
        settings.numCircs(),
        c.section("measurers").size());
  }

  /** A launched tor also fetches full server descriptors ({@link #FETCH_DESCRIPTORS}). */
  static TorSession.Mode withFullDescriptors(TorSession.Mode mode) {
    if (!(mode instanceof TorSession.Mode.Launch l)) {
      return mode;
    }
    TorLaunchSettings s = l.launch();
    List<String> lines = new ArrayList<>();
    lines.add(FETCH_DESCRIPTORS);
    lines.addAll(s.torrcExtraLines());
    return new TorSession.Mode.Launch(
        new TorLaunchSettings(s.torBin(), s.dataDir(), lines, s.startTimeout()), l.control());
  }

  /** {@code [cleanup]}: each delete_after must be longer than its compress_after. */
  public static RetentionPolicy retention(Config c) throws ConfigException {
    Duration resultsCompress = positive(c, "cleanup", "results_compress_after");
    Duration resultsDelete = longer(c, "results_delete_after", resultsCompress);
    Duration v3bwCompress = positive(c, "cleanup", "v3bw_compress_after");
    Duration v3bwDelete = longer(c, "v3bw_delete_after", v3bwCompress);
    return new RetentionPolicy(resultsCompress, resultsDelete, v3bwCompress, v3bwDelete);
  }

  private static Duration longer(Config c, String key, Duration compressAfter)
      throws ConfigException {
    Duration d = c.duration("cleanup", key);
    if (d.compareTo(compressAfter) <= 0) {
      String compressKey = key.replace("_delete_", "_compress_");
      throw ConfigException.badValue(
          "cleanup",
          key,
          c.string("cleanup", key),
          "a duration longer than " + compressKey + " (" + c.string("cleanup", compressKey) + ")");
    }
    return d;
  }

  private static Duration positive(Config c, String section, String key) throws ConfigException {
    Duration d = c.duration(section, key);
    if (d.isZero()) {
      throw ConfigException.badValue(section, key, c.string(section, key), "a positive duration");
    }
    return d;
  }
}
