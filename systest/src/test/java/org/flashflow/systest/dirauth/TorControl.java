package org.flashflow.systest.dirauth;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal control-port client for the test network: cookie authentication and plain commands with
 * their replies (control-spec 2.3, 3.5). torctl's clients have no SETCONF, and a test needs nothing
 * more than a line in and the reply lines out.
 */
final class TorControl implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 10_000;

  private final Socket socket;
  private final BufferedReader in;
  private final Writer out;

  private TorControl(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
    this.out = new OutputStreamWriter(socket.getOutputStream(), US_ASCII);
  }

  /** Connects to {@code 127.0.0.1:port} and authenticates with the cookie file's bytes. */
  static TorControl connect(int port, Path cookieFile) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
      s.setSoTimeout(TIMEOUT_MILLIS);
      TorControl c = new TorControl(s);
      c.ok("AUTHENTICATE " + HexFormat.of().formatHex(Files.readAllBytes(cookieFile)));
      return c;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Sends one command line and returns the reply's lines (status codes included, data lines of a
   * {@code 250+} reply in between); fails unless the reply's status is 250.
   */
  List<String> ok(String command) throws IOException {
    out.write(command + "\r\n");
    out.flush();
    List<String> reply = new ArrayList<>();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("tor closed the control connection after: " + redact(command));
      }
      reply.add(line);
      if (line.length() >= 4 && line.charAt(3) == '+') {
        for (String data = in.readLine(); !".".equals(data); data = in.readLine()) {
          if (data == null) {
            throw new IOException("tor closed the control connection in a data reply");
          }
          reply.add(data);
        }
      } else if (line.length() < 4 || line.charAt(3) == ' ') {
        break;
      }
    }
    if (!reply.get(reply.size() - 1).startsWith("250")) {
      throw new IOException("tor refused '" + redact(command) + "': " + reply);
    }
    return reply;
  }

  private static String redact(String command) {
    return command.startsWith("AUTHENTICATE") ? "AUTHENTICATE ..." : command;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
