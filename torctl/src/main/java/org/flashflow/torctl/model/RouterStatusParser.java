package org.flashflow.torctl.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads router status entries (dir-spec 3.4.1) from a {@code GETINFO ns/...} value or a whole
 * consensus document. Only the {@code r}, {@code s} and {@code w} lines matter; every other line
 * (header, {@code v}, {@code pr}, {@code p}, {@code m}, footer) is skipped. Pure.
 */
public final class RouterStatusParser {
  private static final Pattern SPACES = Pattern.compile(" +");

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
    Builder current = null;
    for (String line : text.lines().toList()) {
      if (line.startsWith("r ")) {
        if (current != null) {
          out.add(current.build());
        }
        current = r(line);
      } else if (current != null && (line.startsWith("s ") || line.equals("s"))) {
        String flags = line.substring(1).strip();
        current.flags = flags.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(SPACES.split(flags)));
      } else if (current != null && line.startsWith("w ")) {
        w(current, line);
      }
    }
    if (current != null) {
      out.add(current.build());
    }
    return out;
  }

  /** {@code r nick identity [digest] date time ip orport dirport}; no digest in microdesc form. */
  private static Builder r(String line) {
    String[] f = SPACES.split(line);
    if (f.length != 9 && f.length != 8) {
      throw new IllegalArgumentException("malformed r line: " + line);
    }
    int d = f.length - 5; // index of the date
    Builder b = new Builder();
    b.nickname = f[1];
    try {
      byte[] id = Base64.getDecoder().decode(f[2]);
      if (id.length != 20) {
        throw new IllegalArgumentException("identity is not 20 bytes in r line: " + line);
      }
      b.fingerprint = HexFormat.of().withUpperCase().formatHex(id);
      b.published = LocalDateTime.parse(f[d] + "T" + f[d + 1]).toInstant(ZoneOffset.UTC);
      b.address = f[d + 2];
      b.orPort = port(f[d + 3]);
      b.dirPort = port(f[d + 4]);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed r line: " + line, e);
    }
    return b;
  }

  private static void w(Builder b, String line) {
    try {
      for (String kv : SPACES.split(line.substring(2).strip())) {
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
