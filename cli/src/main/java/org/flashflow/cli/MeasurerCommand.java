package org.flashflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.measurer.daemon.MeasurerConfig;
import org.flashflow.measurer.daemon.MeasurerDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flashflow measurer}: the measurer daemon, run in the foreground (systemd style). */
@Command(
    name = "measurer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run a FlashFlow measurer: connects to the coordinator over TLS, drives its tor to"
          + " measure relays, reports what it measured once a second.",
      "Stops cleanly (exit 0) on SIGTERM or SIGINT, failing live measurements and stopping the"
          + " tor it launched. On SIGHUP logs its state at INFO and keeps running (it has"
          + " nothing to reload: a config change needs a restart)."
    })
final class MeasurerCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = DefaultConfigs.MEASURER,
      description =
          "The measurer's config file (default: ${DEFAULT-VALUE}; see config/measurer.ini).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Config config = Config.load(configFile);
    config.logWarnings();
    MeasurerConfig mc = MeasurerConfig.from(config);
    MeasurerDaemon daemon;
    try {
      daemon = MeasurerDaemon.start(mc, Clock.systemUTC(), VersionProvider.version());
    } catch (IOException e) {
      throw new UserException(e.getMessage(), e);
    }
    Signals.onTermination(daemon::shutdown);
    Signals.onHangup(daemon::logStatus);
    daemon.awaitTermination();
    return ExitCodes.OK;
  }
}
