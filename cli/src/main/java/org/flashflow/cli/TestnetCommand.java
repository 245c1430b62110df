package org.flashflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.testnet.TestnetConfig;
import org.flashflow.testnet.network.Testnet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flashflow testnet}: the emulated FlashFlow tor network, in the foreground. */
@Command(
    name = "testnet",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run an emulated FlashFlow tor network: the coordinator's tor, one tor per measurer and"
          + " the relays, all in this process. Prints the [tor] lines for the coordinator's and"
          + " each measurer's config (also written to <datadir>/ports.ini).",
      "Stops cleanly (exit 0) on SIGTERM or SIGINT."
    })
final class TestnetCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(TestnetCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      required = true,
      description = "The network description (see config/testnet.ini).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Config config = Config.load(configFile);
    for (String w : TestnetConfig.warnings(config)) {
      log.warn("{}: {}", configFile, w);
    }
    TestnetConfig tc = TestnetConfig.from(config);
    Testnet net;
    try {
      net = Testnet.start(tc);
    } catch (IOException e) {
      throw new UserException(e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(net.summary());
    out.println("(also in " + net.portsFile() + "; Ctrl-C or SIGTERM stops the network)");
    out.flush();
    Signals.onTermination(net::close);
    net.awaitTermination();
    return ExitCodes.OK;
  }
}
