package org.flashflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code flashflow} command. */
@Command(
    name = "flashflow",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "FlashFlow, the secure speed test for Tor relays.",
    subcommands = {KeygenCommand.class, CtrlCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
