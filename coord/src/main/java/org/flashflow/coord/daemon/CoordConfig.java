package org.flashflow.coord.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.metrics.MetricsEndpoint;
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
    HostPort ctrlAddr,
    Path v3bw,
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
        c.address("coord", "ctrl_addr"),
        c.path("v3bw", "v3bw"),
        positive(c, "v3bw", "max_results_age"),
        settings,
        withFullDescriptors(TorSessionConfig.mode(c, c.path("coord", "tor_datadir"))),
        TorSessionConfig.maxBackoff(c),
        retention(c),
        v3bwSettings(c, settings),
        ScheduleConfig.from(c),
        MetricsEndpoint.address(c));
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
