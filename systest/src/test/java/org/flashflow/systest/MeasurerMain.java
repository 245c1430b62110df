package org.flashflow.systest;

import java.nio.file.Path;
import java.time.Clock;
import org.flashflow.common.config.Config;
import org.flashflow.measurer.daemon.MeasurerConfig;
import org.flashflow.measurer.daemon.MeasurerDaemon;

/**
 * A measurer as its own process, what {@code flashflow measurer -c FILE} runs minus the CLI, so a
 * test can SIGKILL it without depending on the cli module. Runs until killed.
 */
public final class MeasurerMain {
  private MeasurerMain() {}

  public static void main(String[] args) throws Exception {
    MeasurerDaemon d =
        MeasurerDaemon.start(MeasurerConfig.from(Config.load(Path.of(args[0]))), Clock.systemUTC());
    d.awaitTermination();
  }
}
