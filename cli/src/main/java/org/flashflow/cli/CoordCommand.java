package org.flashflow.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.daemon.CoordDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flashflow coord}: the coordinator daemon, run in the foreground (systemd style). */
@Command(
    name = "coord",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run the FlashFlow coordinator: accepts measurers over TLS, drives its tor, runs"
          + " measurements, writes the results log and bandwidth files.",
      "Stops cleanly (exit 0) on SIGTERM or SIGINT, failing live measurements. On SIGHUP"
          + " reopens the results log by name (after log rotation; see docs/operations.md)."
    })
final class CoordCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = DefaultConfigs.COORD,
      description =
          "The coordinator's config file (default: ${DEFAULT-VALUE}; see config/coord.ini).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Config config = Config.load(configFile);
    config.logWarnings();
    CoordConfig cc = CoordConfig.from(config);
    CoordDaemon daemon;
    try {
      daemon = CoordDaemon.start(cc, Clock.systemUTC(), VersionProvider.version());
    } catch (java.io.IOException e) {
      throw new UserException(e.getMessage(), e);
    }
    Signals.onTermination(daemon::shutdown);
    Signals.onHangup(daemon::reopenLogs);
    daemon.awaitTermination();
    return ExitCodes.OK;
  }
}
