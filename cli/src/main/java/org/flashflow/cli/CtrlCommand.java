package org.flashflow.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.Durations;
import org.flashflow.common.config.HostPort;
import org.flashflow.coord.control.CookieFile;
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
 *
 * <p>With a config it goes where the operator's own tools would: the Unix socket ({@code [ctrl]
 * socket}) when it is set and there, needing no auth line; else TCP ({@code [ctrl] coord_addr})
 * with the cookie or password first ({@code [ctrl] auth}).
 */
@Command(
    name = "ctrl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Sends one command to a coordinator's control socket and prints the reply up to the"
          + " line starting with OK or ERR.",
      "With -c (default: the built-in defaults) it uses [ctrl] socket if that socket exists,"
          + " else TCP to [ctrl] coord_addr, authenticating as [ctrl] auth says (the cookie from"
          + " [ctrl] cookie_file, or [ctrl] password).",
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
        description =
            "Config file whose [ctrl] socket, coord_addr and auth to use (default: "
                + DefaultConfigs.COORD
                + " if it exists, else the coordinator's defaults: localhost:12935 with the"
                + " cookie in data-coord/ctrl_auth_cookie).")
    Path config;

    @Option(
        names = "--addr",
        paramLabel = "HOST:PORT",
        description =
            "TCP control address, e.g. localhost:12935 or [::1]:12935; no auth line unless"
                + " --cookie-file is given.")
    String addr;

    @Option(
        names = "--socket",
        paramLabel = "PATH",
        description = "Unix control socket, e.g. /run/flashflow/coord.sock (no auth line).")
    Path socket;
  }

  @Option(
      names = "--cookie-file",
      paramLabel = "FILE",
      description = "With --addr: authenticate with the cookie in FILE.")
  Path cookieFile;

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
    Duration readTimeout;
    try {
      readTimeout = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      return fail("--timeout \"" + timeout + "\": expected " + e.getMessage());
    }
    Route route;
    try {
      route = route();
    } catch (ConfigException e) {
      return fail(e.getMessage());
    }
    if (route.socket != null) {
      return exchangeUnix(route.socket, line, readTimeout);
    }
    return exchange(route.address, route.authLine, line, readTimeout);
  }

  /** Where to send the command: a Unix socket, or a TCP address with an optional auth line. */
  private record Route(Path socket, HostPort address, String authLine) {}

  private Route route() throws ConfigException {
    if (target != null && target.socket != null) {
      return new Route(target.socket, null, null);
    }
    if (target != null && target.addr != null) {
      HostPort address;
      try {
        address = HostPort.parse(target.addr);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--addr \"" + target.addr + "\": expected " + e.getMessage(), e);
      }
      return new Route(
          null, address, cookieFile == null ? null : cookieLine(cookieFile, "--cookie-file"));
    }
    Path file = configFile(target != null ? target.config : null, Path.of(DefaultConfigs.COORD));
    Config config = file != null ? Config.load(file) : Config.defaults();
    Optional<Path> socket = config.optionalPath("ctrl", "socket");
    if (socket.isPresent() && Files.exists(socket.get())) {
      return new Route(socket.get(), null, null);
    }
    HostPort address = config.address("ctrl", "coord_addr");
    String auth = config.string("ctrl", "auth").strip().toLowerCase(Locale.ROOT);
    String authLine =
        switch (auth) {
          case "none" -> null;
          case "cookie" -> cookieLine(config.path("ctrl", "cookie_file"), "[ctrl] cookie_file");
          case "password" -> {
            String password = config.string("ctrl", "password");
            if (password.isEmpty()) {
              throw new ConfigException(
                  "[ctrl] auth = password needs the password in [ctrl] password (the coordinator"
                      + " keeps only its hash)");
            }
            yield "auth " + password;
          }
          default ->
              throw ConfigException.badValue(
                  "ctrl", "auth", config.string("ctrl", "auth"), "cookie, password or none");
        };
    return new Route(null, address, authLine);
  }

  private static String cookieLine(Path file, String what) throws ConfigException {
    try {
      return CookieFile.authLine(file);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the control cookie " + what + " = " + file + ": " + e, e);
    }
  }

  /**
   * The config file to read: the one given, else the installed coordinator's if there is one, else
   * none (built-in defaults).
   */
  static Path configFile(Path given, Path installed) {
    if (given != null) {
      return given;
    }
    return Files.isRegularFile(installed) ? installed : null;
  }

  private int exchange(HostPort address, String authLine, String line, Duration readTimeout) {
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
      return talk(
          socket.getInputStream(), socket.getOutputStream(), authLine, line, address.toString());
    } catch (SocketTimeoutException e) {
      return fail("no complete reply from " + address + " within " + Durations.format(readTimeout));
    } catch (IOException e) {
      return fail("connection to " + address + " failed: " + e.getMessage());
    }
  }

  /**
   * Over a Unix socket, whose blocking streams know no read timeout: a timer closes the channel
   * when the reply is late, which ends the blocked read.
   */
  private int exchangeUnix(Path path, String line, Duration readTimeout) {
    SocketChannel ch;
    try {
      ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
    } catch (IOException | RuntimeException e) {
      return fail("cannot connect to " + path + ": " + e.getMessage());
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ctrl-timeout");
              t.setDaemon(true);
              return t;
            });
    timer.schedule(
        () -> {
          try {
            ch.close();
          } catch (IOException e) {
            // closing is all we wanted
          }
        },
        readTimeout.toMillis(),
        TimeUnit.MILLISECONDS);
    try (ch) {
      return talk(
          Channels.newInputStream(ch), Channels.newOutputStream(ch), null, line, path.toString());
    } catch (IOException e) {
      if (e instanceof AsynchronousCloseException) {
        return fail("no complete reply from " + path + " within " + Durations.format(readTimeout));
      }
      return fail("connection to " + path + " failed: " + e.getMessage());
    } finally {
      timer.shutdownNow();
    }
  }

  /** Sends the auth line (if any) and the command; prints the command's reply. */
  private int talk(InputStream is, OutputStream os, String authLine, String line, String where)
      throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(is, StandardCharsets.UTF_8));
    if (authLine != null) {
      os.write((authLine + "\n").getBytes(StandardCharsets.UTF_8));
      os.flush();
      String reply = in.readLine();
      if (reply == null || !reply.startsWith("OK")) {
        return fail(
            where
                + " refused the authentication: "
                + (reply == null ? "connection closed" : reply));
      }
    }
    os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    os.flush();
    return printReply(in, where);
  }

  private int printReply(BufferedReader in, String address) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
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
