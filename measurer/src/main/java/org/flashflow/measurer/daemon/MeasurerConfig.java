package org.flashflow.measurer.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.metrics.MetricsEndpoint;
import org.flashflow.measurer.MeasurerSettings;
import org.flashflow.torctl.session.TorSession;
import org.flashflow.torctl.session.TorSessionConfig;

/**
 * The measurer's configuration, read and checked once at startup, so that a bad value stops the
 * daemon before it connects anywhere.
 *
 * @param key the measurer's own key and certificate in one PEM file
 * @param coordCert the coordinator's certificate, the only one trusted
 */
public record MeasurerConfig(
    Path datadir,
    Path keydir,
    Path key,
    Path coordCert,
    Path torDatadir,
    HostPort coordAddr,
    MeasurerSettings settings,
    TorSession.Mode tor,
    Duration torReconnectMaxBackoff,
    Optional<HostPort> metricsAddr) {

  /** Reads every key the measurer uses; the first bad one fails with its name and value. */
  public static MeasurerConfig from(Config c) throws ConfigException {
    HostPort coordAddr = c.address("measurer", "coord_addr");
    if (coordAddr.port() == 0) {
      throw ConfigException.badValue(
          "measurer",
          "coord_addr",
          coordAddr.toString(),
          "host:port of the coordinator (not port 0)");
    }
    Path torDatadir = c.path("measurer", "tor_datadir");
    return new MeasurerConfig(
        c.path("measurer", "datadir"),
        c.path("measurer", "keydir"),
        c.path("measurer", "key"),
        c.path("measurer", "coord_cert"),
        torDatadir,
        coordAddr,
        MeasurerSettings.of(positive(c, "measurer", "circ_build_timeout")),
        TorSessionConfig.mode(c, torDatadir),
        TorSessionConfig.maxBackoff(c),
        MetricsEndpoint.address(c));
  }

  private static Duration positive(Config c, String section, String key) throws ConfigException {
    Duration d = c.duration(section, key);
    if (d.isZero()) {
      throw ConfigException.badValue(section, key, c.string(section, key), "a positive duration");
    }
    return d;
  }
}
