package org.flashflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flashflow demo}: FlashFlow end to end on one machine, with no root and no network. An
 * emulated network of eight relays, a coordinator and two measurers, each its own process, measure
 * every relay; the demo prints how close each estimate came to the relay's true capacity.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs FlashFlow end to end on this machine: starts an emulated network of 8 relays"
          + " (1 to 100 Mbit/s, round trips of 30 to 150 ms; one lies about its background"
          + " traffic, one refuses to be measured), a coordinator and two measurers (alice,"
          + " bob) as separate processes,"
          + " measures every relay, writes a bandwidth file and a report with charts (flashflow"
          + " report), and prints each relay's true"
          + " capacity next to FlashFlow's estimate. Takes about 75 s; needs no root and"
          + " no network (everything listens on 127.0.0.1).",
      "Keys, configs, logs, the results log, the bandwidth file and the report stay in the directory it"
          + " prints (a new one under the system's temp directory unless --dir is given).",
      "Every process it started is stopped at the end, on error, and on Ctrl-C or SIGTERM.",
      "Exit 0 if every relay ended as its behaviour predicts (honest: within 10 %%; liar: at"
          + " most 1/(1-r) + 2 %% of its capacity; refuser: FAIL RELAY_REFUSED), else 1."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every relay ended as its behaviour predicts",
      "1:some relay did not (the table says which), an error (one line on stderr), or stopped"
          + " by SIGINT/SIGTERM",
      "2:usage error",
      "70:internal error (a bug): rerun with --debug and report the stack trace"
    })
final class DemoCommand implements Callable<Integer> {
  private static final double BG_PERCENT = 0.25;

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Directory for every file of the demo; must be new or empty.")
  Path dir;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Length of each measurement, 1 to 40 s (default: ${DEFAULT-VALUE}, as in real use).")
  int duration;

  // Hidden: for tests and tuning.
  @Option(names = "--relays", split = ",", hidden = true, paramLabel = "NICK")
  List<String> only;

  // 5: the small relays fill the second wave, so the demo measures in two waves (about 75 s).
  @Option(names = "--max-concurrent", hidden = true, defaultValue = "5")
  int maxConcurrent;

  // The emulator's loops cost about 16 ms (measurer tors) and 9 ms (relays) of CPU per MB carried
  // (docs/benchmarks.md): 120 Mbit/s at once keeps them under a third of a core each, so that a
  // busy machine still leaves them enough.
  @Option(names = "--budget", hidden = true, defaultValue = "120", paramLabel = "MBITS")
  double budgetMbits;

  @Option(names = "--circs", hidden = true, defaultValue = "16")
  int numCircs;

  @Override
  public Integer call() throws IOException {
    if (duration < 1 || duration > 40) {
      throw new ParameterException(spec.commandLine(), "--duration must be 1 to 40 seconds");
    }
    if (maxConcurrent < 1 || numCircs < 1 || !(budgetMbits > 0)) {
      throw new ParameterException(spec.commandLine(), "tuning options must be positive");
    }
    List<DemoRelay> relays = relays();
    DemoFiles files = new DemoFiles(directory());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "flashflow demo: %d relays, measurers %s, %d s per measurement (Ctrl-C stops it)%n",
        relays.size(),
        String.join(" and ", DemoFiles.MEASURERS),
        duration);
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    DemoProcesses processes = new DemoProcesses();
    DemoRun run =
        new DemoRun(
            new DemoRun.Settings(
                relays, duration, BG_PERCENT, numCircs, maxConcurrent, budgetMbits),
            files,
            processes,
            stop,
            out);
    processes.installShutdownHook();
    DemoRun.Report report;
    try (DemoSignals signals = new DemoSignals(stop::countDown)) {
      report = run.run();
    } catch (DemoRun.StoppedException e) {
      run.progress("stopped by a signal");
      report = new DemoRun.Report(List.of(), ExitCodes.USER_ERROR);
    } finally {
      run.progress("stopping every process the demo started");
      processes.stopAll();
      run.progress("all stopped");
    }
    if (!report.lines().isEmpty()) {
      out.println();
      report.lines().forEach(out::println);
    } else {
      out.println("The demo's files are in " + files.dir());
    }
    out.flush();
    return report.exitCode();
  }

  private List<DemoRelay> relays() {
    if (only == null || only.isEmpty()) {
      return DemoRelay.NETWORK;
    }
    List<DemoRelay> out = new ArrayList<>();
    for (String nick : only) {
      out.add(
          DemoRelay.NETWORK.stream()
              .filter(r -> r.nick().equals(nick))
              .findFirst()
              .orElseThrow(
                  () -> new ParameterException(spec.commandLine(), "no demo relay " + nick)));
    }
    return out;
  }

  private Path directory() throws IOException {
    if (dir == null) {
      return Files.createTempDirectory("flashflow-demo-").toAbsolutePath();
    }
    Path d = dir.toAbsolutePath();
    if (Files.isDirectory(d)) {
      try (Stream<Path> entries = Files.list(d)) {
        if (entries.findAny().isPresent()) {
          throw new UserException(d + " is not empty; give a new or empty --dir");
        }
      }
    } else {
      Files.createDirectories(d);
    }
    return d;
  }
}
