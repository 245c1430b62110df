package org.flashflow.torctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.flashflow.torctl.client.TorAuthenticator;
import org.flashflow.torctl.model.TorEndpoint;

/**
 * A scripted tor control port on 127.0.0.1 for tests: answers PROTOCOLINFO, AUTHCHALLENGE and
 * AUTHENTICATE like tor does (including the SAFECOOKIE HMAC check and closing after 514/515), and
 * every other command from a table of canned replies. Can push 650 events and drop connections.
 */
public final class FakeTorServer implements AutoCloseable {
  /** A reply that is never sent: the command hangs. */
  public static final String SILENCE = "<silence>";

  private final ServerSocket server;
  private final String methods;
  private final byte[] cookie;
  private final Path cookieFile;
  private final String password;
  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final List<Conn> conns = new CopyOnWriteArrayList<>();
  public final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  /**
   * @param methods PROTOCOLINFO's METHODS value, e.g. {@code COOKIE,SAFECOOKIE}
   * @param cookie the cookie tor would hold (may differ from the file the client reads)
   */
  public FakeTorServer(String methods, byte[] cookie, Path cookieFile, String password)
      throws IOException {
    this.methods = methods;
    this.cookie = cookie.clone();
    this.cookieFile = cookieFile;
    this.password = password;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    replies.put("GETINFO version", "250-version=0.4.9.11\r\n250 OK");
    Thread t = new Thread(this::acceptLoop, "fake-tor-accept");
    t.setDaemon(true);
    t.start();
  }

  public static FakeTorServer nullAuth() throws IOException {
    return new FakeTorServer("NULL", new byte[32], null, null);
  }

  public TorEndpoint endpoint() {
    return new TorEndpoint.Tcp("127.0.0.1", server.getLocalPort());
  }

  /** Canned reply lines (CRLF-separated, without the last CRLF) for an exact command line. */
  public void reply(String command, String reply) {
    replies.put(command, reply);
  }

  /** Sends raw lines to every authenticated connection. */
  public void push(String rawLines) {
    for (Conn c : conns) {
      if (c.authenticated) {
        c.send(rawLines);
      }
    }
  }

  /** Closes every client connection, as a dying tor would. */
  public void dropConnections() {
    for (Conn c : conns) {
      c.close();
    }
  }

  @Override
  public void close() throws IOException {
    dropConnections();
    server.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Conn c = new Conn(server.accept());
        conns.add(c);
        Thread t = new Thread(c::serve, "fake-tor-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static byte[] hmac(String key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private final class Conn {
    private final Socket socket;
    private final OutputStream out;
    volatile boolean authenticated;
    private byte[] expectedClientHash;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    synchronized void send(String lines) {
      try {
        out.write((lines + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        close();
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void serve() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          received.add(line);
          handle(line);
        }
      } catch (IOException e) {
        // the client or the test closed the connection
      } finally {
        conns.remove(this);
      }
    }

    private void handle(String line) {
      String verb = line.split(" ", 2)[0];
      String arg = line.length() > verb.length() ? line.substring(verb.length() + 1) : "";
      switch (verb) {
        case "PROTOCOLINFO" -> {
          String file = cookieFile == null ? "" : " COOKIEFILE=\"" + cookieFile + "\"";
          send(
              "250-PROTOCOLINFO 1\r\n250-AUTH METHODS="
                  + methods
                  + file
                  + "\r\n250-VERSION Tor=\"0.4.9.11\"\r\n250 OK");
        }
        case "AUTHCHALLENGE" -> challenge(arg);
        case "AUTHENTICATE" -> authenticate(arg.strip());
        default -> {
          if (!authenticated) {
            send("514 Authentication required.");
            close();
            return;
          }
          String r = replies.get(line);
          if (r == null) {
            send("510 Unrecognized command \"" + verb + "\"");
          } else if (!r.equals(SILENCE)) {
            send(r);
          }
        }
      }
    }

    private void challenge(String arg) {
      String[] a = arg.split(" ");
      byte[] clientNonce = HexFormat.of().parseHex(a[1]);
      byte[] serverNonce = new byte[32];
      new SecureRandom().nextBytes(serverNonce);
      byte[] serverHash = hmac(TorAuthenticator.SERVER_KEY, cookie, clientNonce, serverNonce);
      expectedClientHash = hmac(TorAuthenticator.CLIENT_KEY, cookie, clientNonce, serverNonce);
      HexFormat hex = HexFormat.of().withUpperCase();
      send(
          "250 AUTHCHALLENGE SERVERHASH="
              + hex.formatHex(serverHash)
              + " SERVERNONCE="
              + hex.formatHex(serverNonce));
    }

    private void authenticate(String arg) {
      Set<String> offered = Set.of(methods.split(","));
      byte[] given = arg.isEmpty() ? new byte[0] : HexFormat.of().parseHex(arg);
      boolean ok =
          (offered.contains("NULL") && arg.isEmpty())
              || (expectedClientHash != null && MessageDigest.isEqual(given, expectedClientHash))
              || (offered.contains("COOKIE") && MessageDigest.isEqual(given, cookie))
              || (offered.contains("HASHEDPASSWORD")
                  && password != null
                  && MessageDigest.isEqual(given, password.getBytes(StandardCharsets.UTF_8)));
      if (ok) {
        authenticated = true;
        send("250 OK");
      } else {
        send(
            "515 Authentication failed: Password did not match HashedControlPassword *or*"
                + " authentication cookie.");
        close();
      }
    }
  }
}
