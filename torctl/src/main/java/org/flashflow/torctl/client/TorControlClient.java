package org.flashflow.torctl.client;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.freehaven.tor.control.FlashFlowControlConnection;
import net.freehaven.tor.control.FlashFlowControlConnection.ErrorReplyException;
import net.freehaven.tor.control.FlashFlowControlConnection.Line;
import org.flashflow.torctl.model.ControlLine;
import org.flashflow.torctl.model.MalformedTorReplyException;
import org.flashflow.torctl.model.ProtocolInfo;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.RouterStatusParser;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.ServerDescriptorParser;
import org.flashflow.torctl.model.TorConnectionLostException;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.model.TorEndpoint;
import org.flashflow.torctl.model.TorEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated control connection to one tor, over jtorctl. Commands block the calling thread
 * with no timeout (jtorctl has none); {@link AsyncTor} adds the timeout and a private thread.
 * Commands may be called from any thread except the listener's callbacks, which run on jtorctl's
 * reader thread and would deadlock the connection.
 */
public final class TorControlClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TorControlClient.class);
  private static final Pattern FP = Pattern.compile("[0-9A-Fa-f]{40}");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]+");

  private final String where;
  private final Closeable socket;
  private final FlashFlowControlConnection conn;
  private final EventBridge bridge;
  private ProtocolInfo protocolInfo;

  private TorControlClient(
      String where, Closeable socket, FlashFlowControlConnection conn, EventBridge bridge) {
    this.where = where;
    this.socket = socket;
    this.conn = conn;
    this.bridge = bridge;
  }

  /**
   * Connects, sends PROTOCOLINFO, authenticates, and starts delivering events to the listener.
   * Blocks; a TCP connect gives up after the command timeout, replies are awaited without one.
   *
   * @throws TorControlException naming the tor, on any failure (the socket is then closed)
   */
  public static TorControlClient connect(TorControlSettings settings, TorEventListener listener)
      throws TorControlException {
    TorEndpoint ep = settings.endpoint();
    String where = ep.toString();
    Closeable socket;
    InputStream in;
    OutputStream out;
    try {
      if (ep instanceof TorEndpoint.Tcp tcp) {
        Socket s = new Socket();
        socket = s;
        // Between measurements tor may send nothing for hours; notice if it vanished (a lost
        // reply is the command timeout's job). docs/protocol.md section 10.
        settings.keepalive().applyTo(s);
        s.connect(new InetSocketAddress(tcp.host(), tcp.port()), millis(settings.commandTimeout()));
        in = s.getInputStream();
        out = s.getOutputStream();
      } else {
        SocketChannel ch =
            SocketChannel.open(UnixDomainSocketAddress.of(((TorEndpoint.UnixSocket) ep).path()));
        socket = ch;
        in = ChannelStreams.in(ch);
        out = ChannelStreams.out(ch);
      }
    } catch (IOException | RuntimeException e) {
      throw new TorControlException("cannot connect to tor at " + where + ": " + e, e);
    }
    EventBridge bridge = new EventBridge(where, listener);
    FlashFlowControlConnection conn =
        FlashFlowControlConnection.create(
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)),
            bridge::readerExited);
    conn.setEventHandler(bridge);
    Thread reader = conn.launchThread(true);
    reader.setName("tor-reader " + where);
    TorControlClient client = new TorControlClient(where, socket, conn, bridge);
    try {
      client.handshake(settings);
    } catch (TorControlException | RuntimeException e) {
      client.close();
      throw e;
    }
    bridge.arm();
    log.info("connected to tor {} at {}", client.protocolInfo.torVersion(), where);
    return client;
  }

  private void handshake(TorControlSettings settings) throws TorControlException {
    List<String> reply = messages(send("PROTOCOLINFO 1"));
    try {
      protocolInfo = ProtocolInfo.parse(reply);
    } catch (IllegalArgumentException e) {
      throw new MalformedTorReplyException(
          "tor at " + where + " sent a malformed PROTOCOLINFO reply: " + e.getMessage());
    }
    new TorAuthenticator(line -> messages(send(line)), where).authenticate(protocolInfo, settings);
  }

  /** What tor said before we authenticated. */
  public ProtocolInfo protocolInfo() {
    return protocolInfo;
  }

  /** Where this tor is, for messages: {@code host:port} or the socket path. */
  public String where() {
    return where;
  }

  /** {@code GETINFO key}; a multi-line value comes back without its final newline. */
  public String getInfo(String key) throws TorControlException {
    checkWord(key);
    List<Line> reply = send("GETINFO " + key);
    String prefix = key + "=";
    for (Line l : reply) {
      if (l.msg().startsWith(prefix)) {
        if (l.data().isPresent()) {
          String d = l.data().get();
          return d.endsWith("\n") ? d.substring(0, d.length() - 1) : d;
        }
        return l.msg().substring(prefix.length());
      }
    }
    throw malformed("GETINFO " + key, reply);
  }

  /** tor's version, e.g. {@code 0.4.9.11}. */
  public String version() throws TorControlException {
    return getInfo("version");
  }

  /** Whether tor lists FF_MEAS in {@code GETINFO events/names}: a FlashFlow-capable tor does. */
  public boolean supportsFlashFlow() throws TorControlException {
    return eventNames().contains("FF_MEAS");
  }

  /** The events tor can send ({@code GETINFO events/names}), e.g. CIRC, NEWCONSENSUS, FF_MEAS. */
  public Set<String> eventNames() throws TorControlException {
    return Set.copyOf(Arrays.asList(getInfo("events/names").strip().split("\\s+")));
  }

  /** {@code SETEVENTS ...}; replaces the whole subscription (empty: none). */
  public void setEvents(List<String> events) throws TorControlException {
    events.forEach(TorControlClient::checkWord);
    expectOk("SETEVENTS" + (events.isEmpty() ? "" : " " + String.join(" ", events)));
  }

  /**
   * The first {@code COORD_START_MEAS}.
   *
   * @return the circuit id of {@code 250 LAUNCHED <circ_id>}
   */
  public long coordStartMeas(long measId, String relayFp, int dur) throws TorControlException {
    String cmd = "COORD_START_MEAS " + measId + " " + fp(relayFp) + " " + dur;
    List<Line> reply = send(cmd);
    try {
      List<String> w = words(reply);
      if (w.size() == 2 && w.get(0).equals("LAUNCHED")) {
        return TorEvents.parseUnsigned(w.get(1));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the malformed-reply exception
    }
    throw malformed(cmd, reply);
  }

  /** The second {@code COORD_START_MEAS} (same arguments), expecting {@code 250 OK}. */
  public void coordStartMeasActive(long measId, String relayFp, int dur)
      throws TorControlException {
    expectOk("COORD_START_MEAS " + measId + " " + fp(relayFp) + " " + dur);
  }

  /**
   * The first {@code MEASR_START_MEAS}.
   *
   * @param bw the measurer's share in bytes/s, if the coordinator gave one
   * @return the ids of {@code 250 FF_MEAS <meas_id> LAUNCHED CIRCS=<id>,...}
   */
  public List<Long> measrStartMeas(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw)
      throws TorControlException {
    String cmd = measrCommand(measId, relayFp, nCircs, dur, bw);
    List<Line> reply = send(cmd);
    try {
      List<String> w = words(reply);
      if (w.size() >= 3
          && w.get(0).equals("FF_MEAS")
          && TorEvents.parseUnsigned(w.get(1)) == measId
          && w.get(2).equalsIgnoreCase("LAUNCHED")) {
        Map<String, String> kv = ControlLine.keyValues(w, 3);
        String circs = kv.get("CIRCS");
        if (circs != null) {
          List<Long> ids = new ArrayList<>();
          for (String id : circs.isEmpty() ? new String[0] : circs.split(",")) {
            ids.add(TorEvents.parseUnsigned(id));
          }
          return List.copyOf(ids);
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the malformed-reply exception
    }
    throw malformed(cmd, reply);
  }

  /** The second {@code MEASR_START_MEAS}; nCircs is now the number of built circuits. */
  public void measrStartMeasActive(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw)
      throws TorControlException {
    expectOk(measrCommand(measId, relayFp, nCircs, dur, bw));
  }

  /**
   * Router status entries of {@code ns/all}, {@code ns/id/<fp>} or {@code ns/name/<nick>}. A relay
   * tor does not know (552) and an empty value (no full consensus yet) give an empty list.
   */
  public List<RouterStatus> routerStatuses(String key) throws TorControlException {
    if (!key.startsWith("ns/")) {
      throw new IllegalArgumentException("not a router status key: " + key);
    }
    return parsedList(key, RouterStatusParser::parse);
  }

  /**
   * Server descriptors for {@code desc/id/<fp>}, {@code desc/name/<nick>} or {@code
   * desc/all-recent}. Empty when tor has none (552: unknown relay, or a tor that fetches only
   * microdescriptors; full descriptors need {@code FetchUselessDescriptors 1} or {@code
   * UseMicrodescriptors 0}).
   *
   * @throws MalformedTorReplyException if a descriptor cannot be parsed
   */
  public List<ServerDescriptor> serverDescriptors(String key) throws TorControlException {
    if (!key.startsWith("desc/")) {
      throw new IllegalArgumentException("not a server descriptor key: " + key);
    }
    return parsedList(key, ServerDescriptorParser::parse);
  }

  /**
   * {@code GETINFO key} parsed into a list; 552 (tor does not know the key's object) is an empty
   * list, and a value the parser refuses is a {@link MalformedTorReplyException}.
   */
  private <T> List<T> parsedList(String key, Function<String, List<T>> parser)
      throws TorControlException {
    String value;
    try {
      value = getInfo(key);
    } catch (TorControlException e) {
      if (e.statusCode().orElse(0) == 552) {
        return List.of();
      }
      throw e;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedTorReplyException(
          "tor at " + where + " sent a malformed GETINFO " + key + ": " + e.getMessage());
    }
  }

  /** Closes the socket; jtorctl's reader thread ends, and the listener is not told. */
  @Override
  public void close() {
    bridge.markClosing();
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing control connection to tor at {}: {}", where, e.toString());
    }
  }

  /** Whether the connection has been lost or closed. */
  public boolean isLost() {
    return bridge.isLost();
  }

  private List<Line> send(String line) throws TorControlException {
    String verb = line.split(" ", 2)[0];
    try {
      return conn.command(line);
    } catch (ErrorReplyException e) {
      throw new TorControlException(
          "tor at " + where + " answered " + verb + " with " + e.getMessage(),
          e.status(),
          e.getMessage(),
          e);
    } catch (IOException e) {
      throw new TorConnectionLostException(
          "lost connection to tor at " + where + " during " + verb + ": " + e, e);
    }
  }

  private void expectOk(String cmd) throws TorControlException {
    List<Line> reply = send(cmd);
    if (reply.size() != 1 || !reply.get(0).msg().equals("OK")) {
      throw malformed(cmd, reply);
    }
  }

  private static String measrCommand(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw) {
    return "MEASR_START_MEAS "
        + measId
        + " "
        + fp(relayFp)
        + " "
        + nCircs
        + " "
        + dur
        + (bw.isPresent() ? " BW=" + bw.getAsLong() : "");
  }

  private static List<String> messages(List<Line> reply) {
    return reply.stream().map(Line::msg).toList();
  }

  private static List<String> words(List<Line> reply) {
    return reply.size() == 1 ? ControlLine.words(reply.get(0).msg()) : List.of();
  }

  private MalformedTorReplyException malformed(String cmd, List<Line> reply) {
    String text = String.join(" | ", reply.stream().map(l -> l.status() + " " + l.msg()).toList());
    return new MalformedTorReplyException(
        "tor at " + where + " answered " + cmd + " with an unexpected reply: " + text);
  }

  private static String fp(String relayFp) {
    if (!FP.matcher(relayFp).matches()) {
      throw new IllegalArgumentException("not a 40-hex relay fingerprint: " + relayFp);
    }
    return relayFp.toUpperCase(Locale.ROOT);
  }

  private static void checkWord(String word) {
    if (!KEY.matcher(word).matches()) {
      throw new IllegalArgumentException("not a single control-protocol word: " + word);
    }
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }
}
