package org.flashflow.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.report.Report;
import org.flashflow.report.UnknownRelayException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flashflow report}: an HTML page with charts of what was measured, from the coordinator's
 * files, without a running coordinator or tor.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Write an HTML page with charts of what was measured: each relay's estimate against its"
          + " consensus weight and advertised bandwidth, the distribution of estimates and the"
          + " total capacity, measurement outcomes over time, progress through the current"
          + " period, and one measurement second by second. Reads the results log (and its"
          + " rotated siblings), the consensus and descriptors the coordinator saved, and the"
          + " schedule's state file; needs no tor and may run next to the coordinator.",
      "The page needs no network to view: the charts are inlined as SVG, and also written as"
          + " SVG files next to it. Prints the page's path."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = DefaultConfigs.COORD,
      description = "The coordinator's config file (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Directory for index.html and the SVG files (default: <datadir>/report).")
  Path out;

  @Option(
      names = "--relay",
      paramLabel = "FP",
      description =
          "Show this relay's newest completed measurement second by second (default: the newest"
              + " measurement of any relay).")
  String relay;

  @Override
  public Integer call() throws Exception {
    Optional<String> fp = Optional.ofNullable(relay);
    if (fp.isPresent()) {
      try {
        Report.fingerprint(fp.get());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--relay: " + e.getMessage());
      }
    }
    Config config = Config.load(configFile);
    config.logWarnings();
    CoordConfig cc = CoordConfig.from(config);
    Path dir = out != null ? out : cc.datadir().resolve("report");
    Path page;
    try {
      page =
          Report.write(
              new Report.Settings(
                  cc.resultsLog(),
                  cc.datadir(),
                  cc.schedule().stateFile(),
                  cc.schedule().settings().period(),
                  fp,
                  dir.toAbsolutePath(),
                  VersionProvider.version(),
                  Clock.systemUTC().instant()));
    } catch (UnknownRelayException e) {
      throw new UserException("no report written: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println(page);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
