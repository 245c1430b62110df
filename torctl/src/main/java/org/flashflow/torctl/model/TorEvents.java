package org.flashflow.torctl.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.flashflow.torctl.model.CircEvent.CircStatus;

/**
 * Parses the events FlashFlow subscribes to, CIRC (control-spec 4.1.1), FF_MEAS (docs/protocol.md
 * section 3) and NEWCONSENSUS (control-spec 4.1.12), from tor's raw text. Pure and total: a line it
 * cannot read, or an event type it does not know, yields empty, and the caller decides whether to
 * log.
 */
public final class TorEvents {
  private TorEvents() {}

  /**
   * Parses one event from jtorctl's split of the line.
   *
   * @param type the event keyword, e.g. {@code CIRC}
   * @param rest everything after the keyword and one space, e.g. {@code 10 BUILT $FP~relay4
   *     PURPOSE=GENERAL}; for a multi-line event ({@code 650+NEWCONSENSUS}), the rest of the first
   *     line, then LF and the data block's lines, each ended by LF
   */
  public static Optional<TorEvent> parse(String type, String rest) {
    try {
      return switch (type.toUpperCase(Locale.ROOT)) {
        case "CIRC" -> Optional.of(circ(rest));
        case "FF_MEAS" -> Optional.of(ffMeas(rest));
        case "NEWCONSENSUS" -> Optional.of(newConsensus(rest));
        default -> Optional.empty();
      };
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a whole event line as tor sends it, e.g. {@code 650 FF_MEAS 7 PARAMS_SENT}, with or
   * without the trailing CRLF.
   */
  public static Optional<TorEvent> parseLine(String line) {
    String l = line.strip();
    if (l.length() < 5 || !l.startsWith("650") || (l.charAt(3) != ' ' && l.charAt(3) != '-')) {
      return Optional.empty();
    }
    String body = l.substring(4);
    int sp = body.indexOf(' ');
    return sp < 0 ? Optional.empty() : parse(body.substring(0, sp), body.substring(sp + 1));
  }

  /** Whether {@link #parse} knows this event type, so that a failure to parse is worth a WARN. */
  public static boolean isKnownType(String type) {
    String t = type.toUpperCase(Locale.ROOT);
    return t.equals("CIRC") || t.equals("FF_MEAS") || t.equals("NEWCONSENSUS");
  }

  /** The data block is not checked line by line: the consensus is read again with GETINFO. */
  private static NewConsensusEvent newConsensus(String rest) {
    int relays = 0;
    for (String line : rest.split("\n")) {
      if (line.startsWith("r ")) {
        relays++;
      }
    }
    return new NewConsensusEvent(relays);
  }

  private static CircEvent circ(String rest) {
    List<String> w = ControlLine.words(rest.strip());
    if (w.size() < 2) {
      throw new IllegalArgumentException("CIRC needs an id and a status");
    }
    long circId = parseUnsigned(w.get(0));
    CircStatus status = CircStatus.valueOf(w.get(1));
    int kv = 2;
    if (w.size() > 2 && !ControlLine.isKeyword(w.get(2))) {
      kv = 3; // the optional path
    }
    Map<String, String> keys = ControlLine.keyValues(w, kv);
    return new CircEvent(circId, status, Optional.ofNullable(keys.get("REASON")));
  }

  private static FfMeasEvent ffMeas(String rest) {
    List<String> w = ControlLine.words(rest.strip());
    if (w.size() < 2) {
      throw new IllegalArgumentException("FF_MEAS needs an id and a kind");
    }
    long measId = parseUnsigned(w.get(0));
    Map<String, String> keys = ControlLine.keyValues(w, 2);
    return switch (w.get(1).toUpperCase(Locale.ROOT)) {
      case "PARAMS_SENT" -> new FfMeasEvent.ParamsSent(measId);
      case "PARAMS_OK" -> new FfMeasEvent.ParamsOk(measId, bool(keys, "ACCEPTED"));
      case "BW_REPORT" ->
          new FfMeasEvent.BwReport(
              measId, parseUnsigned(need(keys, "SENT")), parseUnsigned(need(keys, "RECV")));
      case "END" -> new FfMeasEvent.End(measId, bool(keys, "SUCCESS"));
      default -> throw new IllegalArgumentException("unknown FF_MEAS kind " + w.get(1));
    };
  }

  private static String need(Map<String, String> keys, String key) {
    String v = keys.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  private static boolean bool(Map<String, String> keys, String key) {
    String v = need(keys, key).toUpperCase(Locale.ROOT);
    return switch (v) {
      case "TRUE", "1" -> true;
      case "FALSE", "0" -> false;
      default -> throw new IllegalArgumentException(key + " is not a boolean: " + v);
    };
  }

  /** A non-negative decimal; rejects signs, which Long.parseLong would accept. */
  public static long parseUnsigned(String s) {
    if (s.isEmpty() || s.length() > 18) {
      throw new IllegalArgumentException("not a non-negative integer: " + s);
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        throw new IllegalArgumentException("not a non-negative integer: " + s);
      }
      v = v * 10 + d; // 18 digits cannot overflow
    }
    return v;
  }
}
