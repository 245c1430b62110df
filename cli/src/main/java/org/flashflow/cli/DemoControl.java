package org.flashflow.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flashflow.common.config.HostPort;
import org.flashflow.coord.control.CookieFile;

/**
 * One connection to the coordinator's control socket (protocol.md section 8), kept open for the
 * whole demo: a command is a line, its reply ends with a line starting {@code OK} or {@code ERR}.
 */
final class DemoControl implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  private DemoControl(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    this.in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  /** Connects and authenticates with the cookie the coordinator wrote to {@code cookieFile}. */
  static DemoControl connect(HostPort address, Path cookieFile) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(address.toSocketAddress(), (int) TIMEOUT.toMillis());
      DemoControl c = new DemoControl(s);
      List<String> reply = c.command(CookieFile.authLine(cookieFile));
      if (!reply.get(reply.size() - 1).startsWith("OK")) {
        throw new IOException("the coordinator refused the demo's control cookie: " + reply);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Sends one command; returns every line of the reply, the OK or ERR line last. */
  List<String> command(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    List<String> reply = new ArrayList<>();
    for (String l = in.readLine(); l != null; l = in.readLine()) {
      reply.add(l);
      if (l.startsWith("OK") || l.startsWith("ERR")) {
        return reply;
      }
    }
    throw new IOException("the coordinator closed the control connection in the reply to " + line);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
