package org.flashflow.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.StaleResultsException;
import org.flashflow.coord.v3bw.V3bwGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flashflow v3bw}: writes a bandwidth file from the results log without a running
 * coordinator or tor, using the consensus the coordinator saved last.
 */
@Command(
    name = "v3bw",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Write a v3bw bandwidth file from the results log (and its rotated siblings) offline,"
          + " and repoint the [v3bw] v3bw symlink to it. Needs no tor: uses the consensus"
          + " and server descriptors the coordinator saved last, if any."
    })
final class V3bwCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = DefaultConfigs.COORD,
      description = "The coordinator's config file (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Config config = Config.load(configFile);
    config.logWarnings();
    CoordConfig cc = CoordConfig.from(config);
    Clock clock = Clock.systemUTC();
    V3bwGenerator generator =
        new V3bwGenerator(
            cc.resultsLog(),
            cc.v3bw(),
            cc.v3bwSettings(),
            clock.instant(),
            VersionProvider.version(),
            clock);
    Path written;
    try {
      written = generator.generate(new ConsensusStore(cc.datadir()));
    } catch (StaleResultsException e) {
      throw new UserException("no bandwidth file written: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println(written);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
