package org.flashflow.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.coord.daemon.CoordConfig;
import org.flashflow.coord.results.ResultsCleanup;
import org.flashflow.coord.results.Retention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flashflow cleanup}: the coordinator's daily retention run, by hand or from cron: gzips and
 * deletes rotated results logs and old bandwidth files as {@code [cleanup]} says.
 */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Compress and delete old files as [cleanup] says: rotated results logs"
          + " (results.log.N, results.log.N.gz) and bandwidth files (v3bw.<UTC time>[.gz])."
          + " Never the live results log or the file the v3bw symlink points to. The running"
          + " coordinator does the same once a day. Prints one line per file acted on."
    })
final class CleanupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = DefaultConfigs.COORD,
      description = "The coordinator's config file (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Option(
      names = {"-n", "--dry-run"},
      description = "Only print what would be done.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Config config = Config.load(configFile);
    config.logWarnings();
    CoordConfig cc = CoordConfig.from(config);
    ResultsCleanup cleanup = new ResultsCleanup(cc.resultsLog(), cc.v3bw(), cc.retention());
    Instant now = Clock.systemUTC().instant();
    List<Retention.Action> plan = cleanup.plan(now);
    PrintWriter out = spec.commandLine().getOut();
    for (Retention.Action a : plan) {
      out.println((a instanceof Retention.Compress ? "compress " : "delete ") + a.path());
    }
    if (dryRun) {
      out.println(plan.size() + " files would be acted on (dry run)");
      out.flush();
      return ExitCodes.OK;
    }
    ResultsCleanup.Report r = cleanup.run(now);
    out.println(
        r.compressed() + " compressed, " + r.deleted() + " deleted, " + r.failed() + " failed");
    out.flush();
    if (r.failed() > 0) {
      throw new UserException(r.failed() + " files could not be cleaned up (see the log)");
    }
    return ExitCodes.OK;
  }
}
