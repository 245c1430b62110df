package org.flashflow.torctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.flashflow.common.testing.ClosedPort;
import org.flashflow.torctl.FakeTorServer;
import org.flashflow.torctl.RecordingListener;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.model.TorEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choice and execution of each authentication method against the fake control port. */
class TorAuthenticationTest {
  @TempDir Path dir;

  private byte[] cookie(byte fill) {
    byte[] c = new byte[32];
    Arrays.fill(c, fill);
    c[0] = 42;
    return c;
  }

  private Path cookieFile(byte[] c) throws IOException {
    Path f = dir.resolve("cookie-" + c[1]);
    Files.write(f, c);
    return f;
  }

  private List<String> authLines(FakeTorServer tor) {
    List<String> lines = new ArrayList<>();
    tor.received.drainTo(lines);
    return lines.stream().filter(l -> l.startsWith("AUTH")).toList();
  }

  @Test
  void nullAuthWinsOverEverything() throws Exception {
    Path f = cookieFile(cookie((byte) 1));
    try (FakeTorServer tor =
            new FakeTorServer("COOKIE,SAFECOOKIE,NULL", cookie((byte) 1), f, null);
        TorControlClient c = connect(tor)) {
      assertEquals("0.4.9.11", c.version());
      assertEquals(List.of("AUTHENTICATE"), authLines(tor));
    }
  }

  @Test
  void safeCookieIsPreferredAndPassesTheServersHmacCheck() throws Exception {
    byte[] cookie = cookie((byte) 2);
    Path f = cookieFile(cookie);
    try (FakeTorServer tor = new FakeTorServer("COOKIE,SAFECOOKIE", cookie, f, null);
        TorControlClient c = connect(tor)) {
      assertEquals("0.4.9.11", c.version());
      List<String> auth = authLines(tor);
      assertEquals(2, auth.size());
      assertTrue(auth.get(0).startsWith("AUTHCHALLENGE SAFECOOKIE "), auth.get(0));
      assertTrue(auth.get(1).matches("AUTHENTICATE [0-9A-F]{64}"), auth.get(1));
    }
  }

  @Test
  void safeCookieRejectsATorThatDoesNotKnowOurCookie() throws Exception {
    Path ours = cookieFile(cookie((byte) 3));
    try (FakeTorServer tor = new FakeTorServer("SAFECOOKIE", cookie((byte) 4), ours, null)) {
      TorControlException e = assertThrows(TorControlException.class, () -> connect(tor));
      assertTrue(e.getMessage().contains("failed the SAFECOOKIE check"), e.getMessage());
      assertTrue(authLines(tor).stream().noneMatch(l -> l.startsWith("AUTHENTICATE")));
    }
  }

  @Test
  void plainCookieSendsTheFileBytes() throws Exception {
    byte[] cookie = cookie((byte) 5);
    Path f = cookieFile(cookie);
    try (FakeTorServer tor = new FakeTorServer("COOKIE", cookie, f, null);
        TorControlClient c = connect(tor)) {
      assertEquals("0.4.9.11", c.version());
      assertEquals(
          List.of("AUTHENTICATE " + HexFormat.of().withUpperCase().formatHex(cookie)),
          authLines(tor));
    }
  }

  @Test
  void configuredCookieFileOverridesTorsPath() throws Exception {
    byte[] cookie = cookie((byte) 6);
    Path real = cookieFile(cookie);
    try (FakeTorServer tor =
            new FakeTorServer("COOKIE", cookie, dir.resolve("no-such-file"), null);
        TorControlClient c =
            TorControlClient.connect(
                TorControlSettings.of(tor.endpoint()).withCookieFile(real),
                new RecordingListener())) {
      assertEquals("0.4.9.11", c.version());
    }
  }

  @Test
  void hashedPasswordWhenConfigured() throws Exception {
    try (FakeTorServer tor = new FakeTorServer("HASHEDPASSWORD", cookie((byte) 7), null, "s3cret");
        TorControlClient c =
            TorControlClient.connect(
                TorControlSettings.of(tor.endpoint()).withPassword("s3cret"),
                new RecordingListener())) {
      assertEquals("0.4.9.11", c.version());
    }
  }

  @Test
  void hashedPasswordWithoutPasswordSaysWhatToSet() throws Exception {
    try (FakeTorServer tor = new FakeTorServer("HASHEDPASSWORD", cookie((byte) 8), null, "pw")) {
      TorControlException e = assertThrows(TorControlException.class, () -> connect(tor));
      assertTrue(
          e.getMessage()
              .endsWith(
                  "offers no authentication method we can use (offered: HASHEDPASSWORD;"
                      + " set [tor] control_password)"),
          e.getMessage());
    }
  }

  @Test
  void wrongCookieIsRefusedWith515() throws Exception {
    Path wrong = cookieFile(cookie((byte) 9));
    try (FakeTorServer tor = new FakeTorServer("COOKIE", cookie((byte) 10), wrong, null)) {
      RecordingListener listener = new RecordingListener();
      TorControlException e =
          assertThrows(
              TorControlException.class,
              () -> TorControlClient.connect(TorControlSettings.of(tor.endpoint()), listener));
      assertEquals(OptionalInt.of(515), e.statusCode());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "tor at "
                      + tor.endpoint()
                      + " refused authentication: 515 Authentication failed:"),
          e.getMessage());
      assertEquals(0, listener.lossCount.get());
    }
  }

  @Test
  void unreadableCookieFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing-cookie");
    try (FakeTorServer tor = new FakeTorServer("COOKIE", cookie((byte) 11), missing, null)) {
      TorControlException e = assertThrows(TorControlException.class, () -> connect(tor));
      assertTrue(
          e.getMessage().startsWith("cannot read cookie file " + missing + ": "), e.getMessage());
    }
  }

  @Test
  void nobodyListening() throws Exception {
    // Held for the whole test: a port freed a moment ago may be taken by then.
    try (ClosedPort closed = ClosedPort.closed()) {
      int port = closed.port();
      TorControlException e =
          assertThrows(
              TorControlException.class,
              () ->
                  TorControlClient.connect(
                      TorControlSettings.of(new TorEndpoint.Tcp("127.0.0.1", port)),
                      new RecordingListener()));
      assertTrue(
          e.getMessage().startsWith("cannot connect to tor at 127.0.0.1:" + port), e.getMessage());
    }
  }

  /** Connects to {@code tor} with the default settings (the client finds the cookie itself). */
  private static TorControlClient connect(FakeTorServer tor) throws Exception {
    return TorControlClient.connect(TorControlSettings.of(tor.endpoint()), new RecordingListener());
  }
}
