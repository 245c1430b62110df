package org.flashflow.torctl.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads router status entries (dir-spec 3.4.1) from a {@code GETINFO ns/...} value or a whole
 * consensus document. Only the {@code r}, {@code s} and {@code w} lines matter; every other line
 * (header, {@code v}, {@code pr}, {@code p}, {@code m}, footer) is skipped. Pure.
 *
 * <p>Written for speed without tricks: a consensus of 8,000 relays is read by every offline {@code
 * flashflow v3bw} in a JVM that has just started, so no regular expressions, streams or date
 * formatters (their set-up alone cost more than the parse), and relays with the same flags share
 * one set.
 */
public final class RouterStatusParser {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private RouterStatusParser() {}

  /**
   * Reads every entry of the text.
   *
   * @return the entries in document order; empty for an empty text
   * @throws IllegalArgumentException naming the line, if an {@code r} or {@code w} line is
   *     malformed
   */
  public static List<RouterStatus> parse(String text) {
    List<RouterStatus> out = new ArrayList<>();
    Map<String, Set<String>> flagSets = new HashMap<>();
    Builder current = null;
    int n = text.length();
    int start = 0;
    while (start < n) {
      int nl = text.indexOf('\n', start);
      int next = nl < 0 ? n : nl + 1;
      int end = nl < 0 ? n : nl;
      if (end > start && text.charAt(end - 1) == '\r') {
        end--;
      }
      // A lone \r ends a line too, as String.lines() has it; consensus text never has one.
      // Only within this line: searching the rest of the text for each line made the parse
      // quadratic (600 ms for 8,400 relays, against 60 ms).
      int cr = start;
      while (cr < end && text.charAt(cr) != '\r') {
        cr++;
      }
      if (cr < end) {
        end = cr;
        next = cr + 1;
      }
      String line = text.substring(start, end);
      start = next;
      if (line.startsWith("r ")) {
        if (current != null) {
          out.add(current.build());
        }
        current = r(line);
      } else if (current != null && (line.startsWith("s ") || line.equals("s"))) {
        String flags = line.substring(1).strip();
        current.flags = flagSets.computeIfAbsent(flags, RouterStatusParser::flagSet);
      } else if (current != null && line.startsWith("w ")) {
        w(current, line);
      }
    }
    if (current != null) {
      out.add(current.build());
    }
    return out;
  }

  private static Set<String> flagSet(String flags) {
    return flags.isEmpty() ? Set.of() : Set.copyOf(words(flags, 0));
  }

  /** The words of {@code line} from {@code from} on, split on runs of spaces. */
  private static List<String> words(String line, int from) {
    List<String> out = new ArrayList<>(10);
    int n = line.length();
    int i = from;
    while (i < n) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      int s = i;
      while (i < n && line.charAt(i) != ' ') {
        i++;
      }
      if (i > s) {
        out.add(line.substring(s, i));
      }
    }
    return out;
  }

  /** {@code r nick identity [digest] date time ip orport dirport}; no digest in microdesc form. */
  private static Builder r(String line) {
    List<String> f = words(line, 0);
    if (f.size() != 9 && f.size() != 8) {
      throw new IllegalArgumentException("malformed r line: " + line);
    }
    int d = f.size() - 5; // index of the date
    Builder b = new Builder();
    b.nickname = f.get(1);
    try {
      byte[] id = Base64.getDecoder().decode(f.get(2));
      if (id.length != 20) {
        throw new IllegalArgumentException("identity is not 20 bytes in r line: " + line);
      }
      b.fingerprint = HEX.formatHex(id);
      b.published = published(f.get(d), f.get(d + 1));
      b.address = f.get(d + 2);
      b.orPort = port(f.get(d + 3));
      b.dirPort = port(f.get(d + 4));
    } catch (DateTimeException | IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed r line: " + line, e);
    }
    return b;
  }

  /** {@code YYYY-MM-DD} and {@code HH:MM:SS}, in UTC. */
  private static Instant published(String date, String time) {
    if (date.length() != 10
        || date.charAt(4) != '-'
        || date.charAt(7) != '-'
        || time.length() != 8
        || time.charAt(2) != ':'
        || time.charAt(5) != ':') {
      throw new IllegalArgumentException("not a date and time: " + date + " " + time);
    }
    LocalDate day = LocalDate.of(digits(date, 0, 4), digits(date, 5, 7), digits(date, 8, 10));
    LocalTime clock = LocalTime.of(digits(time, 0, 2), digits(time, 3, 5), digits(time, 6, 8));
    return day.atTime(clock).toInstant(ZoneOffset.UTC);
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int c = s.charAt(i) - '0';
      if (c < 0 || c > 9) {
        throw new IllegalArgumentException("not a date and time: " + s);
      }
      v = v * 10 + c;
    }
    return v;
  }

  private static void w(Builder b, String line) {
    try {
      for (String kv : words(line, 2)) {
        if (kv.startsWith("Bandwidth=")) {
          b.bandwidth = TorEvents.parseUnsigned(kv.substring("Bandwidth=".length()));
        } else if (kv.startsWith("Measured=")) {
          b.measured = OptionalLong.of(TorEvents.parseUnsigned(kv.substring("Measured=".length())));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed w line: " + line, e);
    }
  }

  private static int port(String s) {
    long p = TorEvents.parseUnsigned(s);
    if (p > 65535) {
      throw new IllegalArgumentException("port out of range: " + s);
    }
    return (int) p;
  }

  private static final class Builder {
    String nickname;
    String fingerprint;
    Instant published;
    String address;
    int orPort;
    int dirPort;
    Set<String> flags = Set.of();
    long bandwidth;
    OptionalLong measured = OptionalLong.empty();

    RouterStatus build() {
      return new RouterStatus(
          nickname, fingerprint, published, address, orPort, dirPort, flags, bandwidth, measured);
    }
  }
}
