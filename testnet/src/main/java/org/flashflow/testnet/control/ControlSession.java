package org.flashflow.testnet.control;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.control.ControlAuth.SafeCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller's connection: authentication state, its event subscription, and the commands every
 * tor has. Replies copy stock tor's (see {@code samples/stock-tor/}): {@code 514} before
 * authentication and {@code 515} for a wrong secret, each followed by closing the connection;
 * {@code 510} for an unknown command, {@code 552} for an unknown key, event or relay.
 */
public final class ControlSession extends SimpleChannelInboundHandler<String> {
  private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

  /** Stock tor 0.4.9's {@code events/names}, plus FlashFlow's event. */
  static final String EVENT_NAMES =
      "CIRC CIRC_MINOR STREAM ORCONN BW DEBUG INFO NOTICE WARN ERR NEWDESC ADDRMAP DESCCHANGED NS"
          + " STATUS_GENERAL STATUS_CLIENT STATUS_SERVER GUARD STREAM_BW CLIENTS_SEEN NEWCONSENSUS"
          + " BUILDTIMEOUT_SET SIGNAL CONF_CHANGED CONN_BW CELL_STATS CIRC_BW TRANSPORT_LAUNCHED"
          + " HS_DESC HS_DESC_CONTENT NETWORK_LIVENESS FF_MEAS";

  private static final Set<String> KNOWN_EVENTS = Set.copyOf(Arrays.asList(EVENT_NAMES.split(" ")));
  private static final Set<String> BEFORE_AUTH =
      Set.of("PROTOCOLINFO", "AUTHENTICATE", "AUTHCHALLENGE", "QUIT");

  private final ControlPort port;
  private final Channel channel;
  private final SecureRandom random = new SecureRandom();
  private boolean authenticated;
  private Optional<SafeCookie> safeCookie = Optional.empty();
  private Set<String> events = Set.of();

  ControlSession(ControlPort port, Channel channel) {
    this.port = port;
    this.channel = channel;
  }

  /** Where the controller is, for logs. */
  public String peer() {
    return String.valueOf(channel.remoteAddress());
  }

  /** Writes reply or event lines, each given without CRLF. */
  public void send(String... lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append("\r\n");
    }
    channel.writeAndFlush(
        channel
            .alloc()
            .buffer(sb.length())
            .writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1)));
  }

  boolean subscribed(String event) {
    return authenticated && events.contains(event);
  }

  void close() {
    channel.close();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    port.opened(this);
    log.debug("{}: controller connected from {}", port.name(), peer());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    port.closed(this);
    log.debug("{}: controller {} left", port.name(), peer());
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("{}: closing control connection from {}: {}", port.name(), peer(), cause.toString());
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.isBlank()) {
      return;
    }
    int sp = line.indexOf(' ');
    String typed = sp < 0 ? line : line.substring(0, sp);
    String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
    String keyword = typed.toUpperCase(Locale.ROOT);
    log.debug("{}: {} sent {}", port.name(), peer(), keyword);
    if (!authenticated && !BEFORE_AUTH.contains(keyword)) {
      closeWith("514 Authentication required.");
      return;
    }
    switch (keyword) {
      case "PROTOCOLINFO" -> protocolInfo();
      case "AUTHCHALLENGE" -> authChallenge(rest);
      case "AUTHENTICATE" -> authenticate(rest);
      case "QUIT" -> closeWith("250 closing connection");
      case "GETINFO" -> getInfo(rest);
      case "SETEVENTS" -> setEvents(rest);
      default -> {
        List<String> args = rest.isEmpty() ? List.of() : Arrays.asList(rest.split(" +"));
        if (!port.extensions().handle(keyword, args, this)) {
          send("510 Unrecognized command \"" + typed + "\"");
        }
      }
    }
  }

  private void closeWith(String line) {
    StringBuilder sb = new StringBuilder(line).append("\r\n");
    channel
        .writeAndFlush(
            channel
                .alloc()
                .buffer()
                .writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void protocolInfo() {
    send(
        "250-PROTOCOLINFO 1",
        port.auth().protocolInfoLine(),
        "250-VERSION Tor=\"" + ControlPort.VERSION + "\"",
        "250 OK");
  }

  private void authChallenge(String rest) {
    String[] w = rest.split(" +");
    if (port.auth().mode() != org.flashflow.testnet.TestnetConfig.AuthMode.COOKIE
        || w.length != 2
        || !w[0].equalsIgnoreCase("SAFECOOKIE")) {
      send("513 AUTHCHALLENGE only supports SAFECOOKIE authentication");
      return;
    }
    byte[] clientNonce;
    try {
      clientNonce = HexFormat.of().parseHex(w[1]);
    } catch (IllegalArgumentException e) {
      send("513 Invalid base16 client nonce");
      return;
    }
    byte[] serverNonce = new byte[32];
    random.nextBytes(serverNonce);
    SafeCookie nonces = new SafeCookie(clientNonce, serverNonce);
    safeCookie = Optional.of(nonces);
    send(
        "250 AUTHCHALLENGE SERVERHASH="
            + ControlAuth.HEX.formatHex(port.auth().serverHash(nonces))
            + " SERVERNONCE="
            + ControlAuth.HEX.formatHex(serverNonce));
  }

  private void authenticate(String rest) {
    byte[] secret;
    if (rest.startsWith("\"")) {
      secret = unquote(rest).getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        secret = HexFormat.of().parseHex(rest);
      } catch (IllegalArgumentException e) {
        send(
            "551 Invalid hexadecimal encoding.  Maybe you tried a plain text password?  If so, the"
                + " standard requires that you put it in double quotes.");
        return;
      }
    }
    String refusal = port.auth().check(secret, safeCookie);
    safeCookie = Optional.empty();
    if (refusal != null) {
      log.info("{}: controller {} failed to authenticate", port.name(), peer());
      closeWith(refusal);
      return;
    }
    authenticated = true;
    send("250 OK");
  }

  private static String unquote(String q) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == '\\' && i + 1 < q.length()) {
        sb.append(q.charAt(++i));
      } else if (c == '"') {
        break;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private void getInfo(String rest) {
    List<String> out = new ArrayList<>();
    for (String key : rest.isEmpty() ? new String[0] : rest.split(" +")) {
      Optional<String> value = value(key);
      if (value.isEmpty()) {
        send("552 Unrecognized key \"" + key + "\"");
        return;
      }
      String v = value.get();
      if (key.startsWith("ns/") || key.startsWith("desc/")) {
        out.add("250+" + key + "=");
        out.add(v + ".");
      } else {
        out.add("250-" + key + "=" + v);
      }
    }
    out.add("250 OK");
    send(out.toArray(new String[0]));
  }

  /**
   * A GETINFO value; the ns/ and desc/ ones are CRLF-ended lines (the final "." is added by the
   * caller).
   */
  private Optional<String> value(String key) {
    if (key.equals("version")) {
      return Optional.of(ControlPort.VERSION);
    }
    if (key.equals("events/names")) {
      return Optional.of(EVENT_NAMES);
    }
    Optional<RelayEntry> one = Optional.empty();
    if (key.equals("desc/all-recent")) {
      StringBuilder sb = new StringBuilder();
      for (RelayEntry r : port.directory().relays()) {
        sb.append(DescriptorFormat.descriptor(port.directory(), r));
      }
      return Optional.of(sb.toString());
    } else if (key.startsWith("desc/id/")) {
      return port.directory()
          .byFingerprint(key.substring("desc/id/".length()))
          .map(r -> DescriptorFormat.descriptor(port.directory(), r));
    } else if (key.startsWith("desc/name/")) {
      return port.directory()
          .byNickname(key.substring("desc/name/".length()))
          .map(r -> DescriptorFormat.descriptor(port.directory(), r));
    }
    if (key.equals("ns/all")) {
      StringBuilder sb = new StringBuilder();
      for (RelayEntry r : port.directory().relays()) {
        sb.append(RouterStatusFormat.entry(port.directory(), r));
      }
      return Optional.of(sb.toString());
    } else if (key.startsWith("ns/id/")) {
      one = port.directory().byFingerprint(key.substring("ns/id/".length()));
    } else if (key.startsWith("ns/name/")) {
      one = port.directory().byNickname(key.substring("ns/name/".length()));
    }
    return one.map(r -> RouterStatusFormat.entry(port.directory(), r));
  }

  private void setEvents(String rest) {
    Set<String> wanted = new HashSet<>();
    for (String e : rest.isEmpty() ? new String[0] : rest.split(" +")) {
      String up = e.toUpperCase(Locale.ROOT);
      if (up.equals("EXTENDED")) {
        continue; // obsolete flag tor still accepts
      }
      if (!KNOWN_EVENTS.contains(up)) {
        send("552 Unrecognized event \"" + e + "\"");
        return;
      }
      wanted.add(up);
    }
    events = Set.copyOf(wanted);
    send("250 OK");
  }
}
