package org.flashflow.coord.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The operator's side of the control socket, as netcat would use it: a line out, lines back. */
final class ControlClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 20_000;

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  ControlClient(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** One command on a fresh connection; the whole reply. */
  static List<String> run(InetSocketAddress address, String line) throws IOException {
    try (ControlClient c = new ControlClient(address)) {
      return c.command(line);
    }
  }

  /** Sends {@code line} and a newline; returns every reply line up to the one with OK or ERR. */
  List<String> command(String line) throws IOException {
    sendRaw(line + "\n");
    return readReply();
  }

  void sendRaw(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Half-closes: no more lines from us, as {@code printf ... | nc -N} does. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Reply lines up to and including the first that starts with OK or ERR. */
  List<String> readReply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String l = in.readLine();
      if (l == null) {
        throw new IOException("connection closed after " + lines);
      }
      lines.add(l);
      if (l.startsWith("OK") || l.startsWith("ERR")) {
        return lines;
      }
    }
  }

  /** Reads one line; null at end of stream. */
  String readLine() throws IOException {
    return in.readLine();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
