package org.flashflow.systest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The operator's side of the coordinator's control socket, as netcat would use it. */
final class ControlClient {
  private static final int TIMEOUT_MS = 20_000;

  private ControlClient() {}

  /** One command on a fresh connection; every reply line up to the one with OK or ERR. */
  static List<String> run(InetSocketAddress address, String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
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
  }
}
