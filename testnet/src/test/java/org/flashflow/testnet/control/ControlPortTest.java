package org.flashflow.testnet.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.Nets;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.RelaySpec;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.TorAccess;
import org.flashflow.testnet.network.Testnet;
import org.flashflow.torctl.client.TorControlClient;
import org.flashflow.torctl.model.NewConsensusEvent;
import org.flashflow.torctl.model.ProtocolInfo;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.RouterStatusParser;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.TorControlException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control ports, through torctl's real client and through raw sockets (stock tor's bytes). */
@Timeout(30)
class ControlPortTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dir;
  static Testnet net;

  @BeforeAll
  static void start() throws IOException {
    net =
        Testnet.start(
            Nets.config(
                dir,
                AuthMode.COOKIE,
                List.of(
                    Nets.relay("relay1", 1_000_000, 0.25, Behaviour.HONEST),
                    new RelaySpec(
                        "liar",
                        Fingerprints.of("test", "liar"),
                        2_000_000,
                        0.1,
                        Behaviour.LIES,
                        1_500_000))));
  }

  @AfterAll
  static void stop() {
    net.close();
  }

  @Test
  void torctlClientAuthenticatesAndReadsTheRelays() throws Exception {
    for (TorAccess p : List.of(net.coordinatorTor(), net.measurerTors().get("alice"))) {
      try (TorControlClient c = TorControlClient.connect(Nets.settings(p), new Nets.Recorder())) {
        assertEquals(Set2.of("COOKIE", "SAFECOOKIE"), c.protocolInfo().authMethods());
        assertEquals(p.cookieFile(), c.protocolInfo().cookieFile());
        assertEquals(ControlPort.VERSION, c.version());
        assertTrue(c.supportsFlashFlow());
        List<RouterStatus> all = c.routerStatuses("ns/all");
        assertEquals(2, all.size());
        for (int i = 0; i < 2; i++) {
          RelayEntry e = net.relays().get(i);
          assertEquals(e.nickname(), all.get(i).nickname());
          assertEquals(e.fingerprint(), all.get(i).fingerprint());
          assertEquals(e.orPort(), all.get(i).orPort());
          assertEquals(e.spec().capacity() / 1000, all.get(i).bandwidthKbs());
        }
        RelayEntry liar = net.relays().get(1);
        assertEquals(
            List.of(all.get(1)),
            c.routerStatuses("ns/id/" + liar.fingerprint().toLowerCase(Locale.ROOT)));
        assertEquals(List.of(all.get(1)), c.routerStatuses("ns/name/liar"));
        assertEquals(List.of(), c.routerStatuses("ns/name/nosuchrelay"));
        c.setEvents(List.of("CIRC", "FF_MEAS"));
      }
    }
  }

  @Test
  void torctlClientReadsServerDescriptorsInStockForm() throws Exception {
    try (TorControlClient c =
        TorControlClient.connect(Nets.settings(net.coordinatorTor()), new Nets.Recorder())) {
      List<ServerDescriptor> all = c.serverDescriptors("desc/all-recent");
      assertEquals(2, all.size());
      RelayEntry relay1 = net.relays().get(0);
      RelayEntry liar = net.relays().get(1);
      ServerDescriptor d = all.get(0);
      assertEquals(relay1.nickname(), d.nickname());
      assertEquals(relay1.fingerprint(), d.fingerprint());
      assertEquals(relay1.orPort(), d.orPort());
      assertEquals("127.0.0.1", d.address());
      assertEquals(10_000_000, d.bandwidthAvg(), "by default 10 times the capacity");
      assertEquals(20_000_000, d.bandwidthBurst());
      assertEquals(1_000_000, d.bandwidthObserved());
      assertEquals(43, d.masterKeyEd25519().orElseThrow().length(), "32 bytes, base64");
      assertEquals(1_500_000, all.get(1).bandwidthAvg(), "advertised_avg, below its capacity");
      assertEquals(
          List.of(all.get(1)),
          c.serverDescriptors("desc/id/" + liar.fingerprint().toLowerCase(Locale.ROOT)));
      assertEquals(List.of(all.get(0)), c.serverDescriptors("desc/name/relay1"));
      assertEquals(List.of(), c.serverDescriptors("desc/id/" + "0".repeat(40)));
    }
  }

  @Test
  void plainCookieAuthenticationAndStockReplies() throws Exception {
    TorAccess p = net.coordinatorTor();
    byte[] cookie = Files.readAllBytes(p.cookieFile().orElseThrow());
    try (Raw raw = new Raw(p)) {
      assertEquals(
          "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE=\""
              + p.cookieFile().get()
              + "\"\r\n250-VERSION Tor=\""
              + ControlPort.VERSION
              + "\"\r\n250 OK\r\n",
          raw.ask("PROTOCOLINFO 1", 4));
      assertEquals("250 OK\r\n", raw.ask("AUTHENTICATE " + HexFormat.of().formatHex(cookie), 1));
      assertEquals(
          "510 Unrecognized command \"MEASR_START_MEAS\"\r\n",
          raw.ask("MEASR_START_MEAS 1 " + "AB".repeat(20) + " 10 30", 1));
      assertEquals("552 Unrecognized event \"NOPE\"\r\n", raw.ask("SETEVENTS CIRC NOPE", 1));
      assertEquals(
          "552 Unrecognized key \"ns/id/0000000000000000000000000000000000000000\"\r\n",
          raw.ask("GETINFO ns/id/0000000000000000000000000000000000000000", 1));
      assertEquals(
          "552 Unrecognized key \"ns/name/nosuchrelay\"\r\n",
          raw.ask("GETINFO ns/name/nosuchrelay", 1));
      String ns = raw.ask("GETINFO ns/name/relay1", 7);
      assertTrue(ns.startsWith("250+ns/name/relay1=\r\nr relay1 "), ns);
      assertTrue(
          ns.endsWith(
              " 127.0.0.1 "
                  + net.relays().get(0).orPort()
                  + " 0\r\ns Fast Guard Running Stable V2Dir Valid\r\nw Bandwidth=1000\r\np reject 1-65535\r\n.\r\n250 OK\r\n"),
          ns);
      assertEquals(
          net.relays().get(0).fingerprint(), RouterStatusParser.parse(ns).get(0).fingerprint());
      assertEquals(
          "552 No such router \"0000000000000000000000000000000000000000\"\r\n",
          raw.ask("COORD_START_MEAS 1 0000000000000000000000000000000000000000 30", 1));
    }
  }

  @Test
  void newConsensusIsAnnouncedToSubscribersInStockForm() throws Exception {
    TorAccess p = net.coordinatorTor();
    Nets.Recorder events = new Nets.Recorder();
    try (TorControlClient c = TorControlClient.connect(Nets.settings(p), events);
        Raw raw = new Raw(p)) {
      c.setEvents(List.of("CIRC", "FF_MEAS", "NEWCONSENSUS"));
      byte[] cookie = Files.readAllBytes(p.cookieFile().orElseThrow());
      assertEquals("250 OK\r\n", raw.ask("AUTHENTICATE " + HexFormat.of().formatHex(cookie), 1));
      assertEquals("250 OK\r\n", raw.ask("SETEVENTS NEWCONSENSUS", 1));

      net.announceConsensus();

      assertEquals(new NewConsensusEvent(2), events.next(NewConsensusEvent.class, WAIT));
      String event = raw.read(1 + 2 * 4 + 2); // 2 relays: r, s, w, p each
      assertTrue(event.startsWith("650+NEWCONSENSUS\r\nr relay1 "), event);
      assertTrue(event.contains("\r\nr liar "), event);
      assertTrue(event.endsWith("\r\np reject 1-65535\r\n.\r\n650 OK\r\n"), event);
    }
  }

  @Test
  void beforeAuthenticationAndWithAWrongCookieTorClosesTheConnection() throws Exception {
    try (Raw raw = new Raw(net.coordinatorTor())) {
      assertEquals("514 Authentication required.\r\n", raw.ask("GETINFO version", 1));
      assertTrue(raw.closed());
    }
    try (Raw raw = new Raw(net.coordinatorTor())) {
      assertEquals(
          "515 Authentication failed: Wrong length on authentication cookie.\r\n",
          raw.ask("AUTHENTICATE 00", 1));
      assertTrue(raw.closed());
    }
    try (Raw raw = new Raw(net.measurerTors().get("bob"))) {
      assertEquals(
          "515 Authentication failed: Authentication cookie did not match expected value.\r\n",
          raw.ask("AUTHENTICATE " + "00".repeat(32), 1));
      assertTrue(raw.closed());
    }
  }

  @Test
  void passwordAuthentication(@TempDir Path other) throws Exception {
    try (Testnet pw =
        Testnet.start(
            Nets.config(
                other,
                AuthMode.PASSWORD,
                List.of(Nets.relay("r", 1_000_000, 0, Behaviour.HONEST))))) {
      TorAccess p = pw.coordinatorTor();
      try (TorControlClient c = TorControlClient.connect(Nets.settings(p), new Nets.Recorder())) {
        assertEquals(Set2.of("HASHEDPASSWORD"), c.protocolInfo().authMethods());
        assertTrue(c.supportsFlashFlow());
      }
      try (Raw raw = new Raw(p)) {
        assertEquals("250 OK\r\n", raw.ask("AUTHENTICATE \"s3cret pw\"", 1));
      }
      try (Raw raw = new Raw(p)) {
        assertTrue(raw.ask("AUTHENTICATE \"wrong\"", 1).startsWith("515 Authentication failed: "));
        assertTrue(raw.closed());
      }
      TorControlException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              TorControlException.class,
              () ->
                  TorControlClient.connect(
                      Nets.settings(p).withPassword("wrong"), new Nets.Recorder()));
      assertTrue(e.getMessage().contains("515"), e.getMessage());
    }
  }

  @Test
  void nullAuthentication(@TempDir Path other) throws Exception {
    try (Testnet n =
        Testnet.start(
            Nets.config(
                other, AuthMode.NULL, List.of(Nets.relay("r", 1_000_000, 0, Behaviour.HONEST))))) {
      try (TorControlClient c =
          TorControlClient.connect(Nets.settings(n.coordinatorTor()), new Nets.Recorder())) {
        ProtocolInfo info = c.protocolInfo();
        assertEquals(Set2.of("NULL"), info.authMethods());
        assertFalse(info.cookieFile().isPresent());
      }
    }
  }

  /** Set.of with a name that does not clash with java.util.Set in this file's imports. */
  static final class Set2 {
    static java.util.Set<String> of(String... s) {
      return java.util.Set.of(s);
    }
  }

  /** A control connection by hand, to compare bytes. */
  static final class Raw implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    Raw(TorAccess p) throws IOException {
      socket = new Socket(p.host(), p.port());
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
    }

    /** Sends a line and reads {@code lines} reply lines, CRLF kept. */
    String ask(String line, int lines) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(lines);
    }

    /** Reads {@code lines} lines, CRLF kept. */
    String read(int lines) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        StringBuilder l = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
          l.append((char) c);
          if (c == '\n') {
            break;
          }
        }
        sb.append(l);
      }
      return sb.toString();
    }

    boolean closed() throws IOException {
      return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
