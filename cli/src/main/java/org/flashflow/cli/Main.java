package org.flashflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code flashflow} command. Subcommands return exit codes; only {@link #main}
 * exits, so that tests and embedders can run any command in-process.
 */
@Command(
    name = "flashflow",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "FlashFlow, the secure speed test for Tor relays.",
    subcommands = {
      CoordCommand.class,
      MeasurerCommand.class,
      TestnetCommand.class,
      V3bwCommand.class,
      CleanupCommand.class,
      CtrlCommand.class,
      HashPasswordCommand.class,
      KeygenCommand.class,
      DemoCommand.class
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  // Read through the parse result (debugRequested), which sees it wherever it was given.
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Log at DEBUG level and show stack traces of errors.")
  boolean debug;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand");
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, with error handling and exit codes in every help text. */
  static CommandLine newCommandLine() {
    return configure(new CommandLine(new Main()));
  }

  /** Installs error handling on {@code root} and the exit code footer on it and its subcommands. */
  static CommandLine configure(CommandLine root) {
    ErrorHandler errors = new ErrorHandler();
    root.setExecutionExceptionHandler(errors);
    root.setParameterExceptionHandler(errors);
    root.setExecutionStrategy(
        parseResult -> {
          if (debugRequested(parseResult)) {
            Logging.enableDebug();
          }
          return new RunLast().execute(parseResult);
        });
    addExitCodeFooter(root);
    return root;
  }

  /** Whether {@code --debug} was given, before or after any subcommand name. */
  static boolean debugRequested(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  private static void addExitCodeFooter(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    if (spec.usageMessage().exitCodeList().isEmpty()) {
      spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.describe());
    }
    for (CommandLine sub : cmd.getSubcommands().values()) {
      addExitCodeFooter(sub);
    }
  }
}
