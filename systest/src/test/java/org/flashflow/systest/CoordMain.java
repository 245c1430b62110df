package org.flashflow.systest;

import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;
import org.flashflow.common.config.Config;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.daemon.CoordDaemon;

/**
 * A coordinator as its own process, what {@code flashflow coord -c FILE} runs minus the CLI, so a
 * test can SIGKILL it. Prints {@code PORTS <measurer port> <control port>} once it listens; runs
 * until killed.
 */
public final class CoordMain {
  static final Pattern PORTS = Pattern.compile("(?m)^PORTS (\\d+) (\\d+)$");

  private CoordMain() {}

  public static void main(String[] args) throws Exception {
    CoordDaemon d =
        CoordDaemon.start(
            CoordConfig.from(Config.load(Path.of(args[0]))), Clock.systemUTC(), "systest");
    System.out.println(
        "PORTS " + d.measurerAddress().getPort() + " " + d.controlAddress().getPort());
    System.out.flush();
    d.awaitTermination();
  }
}
