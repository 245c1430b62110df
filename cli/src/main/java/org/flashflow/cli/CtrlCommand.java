package org.flashflow.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.Durations;
import org.flashflow.common.config.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flashflow ctrl}: one command to the coordinator's control socket, for scripts and for
 * hosts without netcat. The exit code tells OK from ERR so that a script need not parse the reply.
 */
@Command(
    name = "ctrl",
    mixinStandardHelpOptions = true,
    description = {
      "Sends one command to a coordinator's control socket and prints the reply up to the"
          + " line starting with OK or ERR.",
      "Commands: measure <fp|nickname>, v3bw, status, status json, help."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the reply ended with OK",
      "1:the reply ended with ERR",
      "2:bad usage or config, cannot connect, or no complete reply"
    })
final class CtrlCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_ERR = 1;
  static final int EXIT_FAILED = 2;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  Target target;

  /** Where the coordinator is: either straight from the command line or from a config file. */
  static final class Target {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "Config file whose [ctrl] coord_addr to use (default localhost:12935).")
    Path config;

    @Option(
        names = "--addr",
        paramLabel = "HOST:PORT",
        description = "Control socket address, e.g. localhost:12935 or [::1]:12935.")
    String addr;
  }

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "120 s",
      description = "How long to wait for the complete reply (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--json",
      description =
          "Ask for the JSON form of the reply (status json) and print only the JSON object,"
              + " without the OK line; schema in docs/operations.md.")
  boolean json;

  @Parameters(
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments, joined with spaces into one line.")
  List<String> words;

  @Override
  public Integer call() {
    String line = String.join(" ", words).strip();
    if (json) {
      if (!line.equalsIgnoreCase("status")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--json goes with the status command only");
      }
      line = "status json";
    }
    if (line.isEmpty() || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "COMMAND must be one non-empty line");
    }
    HostPort address;
    Duration readTimeout;
    try {
      address = address();
      readTimeout = Durations.parse(timeout);
    } catch (ConfigException e) {
      return fail(e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail("--timeout \"" + timeout + "\": expected " + e.getMessage());
    }
    return exchange(address, line, readTimeout);
  }

  private HostPort address() throws ConfigException {
    if (target != null && target.addr != null) {
      try {
        return HostPort.parse(target.addr);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--addr \"" + target.addr + "\": expected " + e.getMessage(), e);
      }
    }
    Config config = target != null ? Config.load(target.config) : Config.defaults();
    return config.address("ctrl", "coord_addr");
  }

  private int exchange(HostPort address, String line, Duration readTimeout) {
    InetSocketAddress socketAddress = address.toSocketAddress();
    if (socketAddress.isUnresolved()) {
      return fail("cannot connect to " + address + ": unknown host " + address.host());
    }
    try (Socket socket = new Socket()) {
      try {
        socket.connect(socketAddress, (int) CONNECT_TIMEOUT.toMillis());
      } catch (IOException e) {
        return fail("cannot connect to " + address + ": " + e.getMessage());
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
      OutputStream os = socket.getOutputStream();
      os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      os.flush();
      return printReply(socket, address);
    } catch (SocketTimeoutException e) {
      return fail("no complete reply from " + address + " within " + Durations.format(readTimeout));
    } catch (IOException e) {
      return fail("connection to " + address + " failed: " + e.getMessage());
    }
  }

  private int printReply(Socket socket, HostPort address) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    for (String reply = in.readLine(); reply != null; reply = in.readLine()) {
      if (!(json && reply.equals("OK"))) {
        out.println(reply);
      }
      if (reply.startsWith("OK")) {
        out.flush();
        return EXIT_OK;
      }
      if (reply.startsWith("ERR")) {
        out.flush();
        return EXIT_ERR;
      }
    }
    out.flush();
    return fail(address + " closed the connection before a line starting with OK or ERR");
  }

  private int fail(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("flashflow ctrl: " + message);
    err.flush();
    return EXIT_FAILED;
  }
}
