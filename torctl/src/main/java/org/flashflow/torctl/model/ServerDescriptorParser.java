package org.flashflow.torctl.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads server descriptors (dir-spec 2.1.1) from a {@code GETINFO desc/id/<fp>} or {@code
 * desc/all-recent} value: each starts at a {@code router} line; only {@code router}, {@code
 * published}, {@code fingerprint}, {@code master-key-ed25519} and {@code bandwidth} are read, every
 * other line (keys, certificates, signatures, policies) is skipped. Pure.
 */
public final class ServerDescriptorParser {
  private static final Pattern SPACES = Pattern.compile(" +");
  private static final Pattern HEX40 = Pattern.compile("[0-9A-F]{40}");

  private ServerDescriptorParser() {}

  /**
   * Reads every descriptor of the text.
   *
   * @return the descriptors in document order; empty for an empty text
   * @throws IllegalArgumentException naming the line or what is missing, if a descriptor lacks its
   *     {@code fingerprint}, {@code published} or {@code bandwidth} line or one is malformed
   */
  public static List<ServerDescriptor> parse(String text) {
    List<ServerDescriptor> out = new ArrayList<>();
    Builder current = null;
    boolean inObject = false;
    for (String line : text.lines().toList()) {
      if (inObject) {
        inObject = !line.startsWith("-----END ");
        continue;
      }
      if (line.startsWith("-----BEGIN ")) {
        inObject = true;
        continue;
      }
      if (line.startsWith("router ")) {
        if (current != null) {
          out.add(current.build());
        }
        current = router(line);
      } else if (current == null) {
        continue;
      } else if (line.startsWith("fingerprint ")) {
        String fp = line.substring("fingerprint ".length()).replace(" ", "");
        fp = fp.toUpperCase(Locale.ROOT);
        if (!HEX40.matcher(fp).matches()) {
          throw new IllegalArgumentException("malformed fingerprint line: " + line);
        }
        current.fingerprint = fp;
      } else if (line.startsWith("published ")) {
        try {
          current.published =
              LocalDateTime.parse(line.substring("published ".length()).strip().replace(' ', 'T'))
                  .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("malformed published line: " + line, e);
        }
      } else if (line.startsWith("master-key-ed25519 ")) {
        String key = line.substring("master-key-ed25519 ".length()).strip();
        if (key.isEmpty() || key.contains(" ")) {
          throw new IllegalArgumentException("malformed master-key-ed25519 line: " + line);
        }
        current.masterKey = Optional.of(key);
      } else if (line.startsWith("bandwidth ")) {
        String[] f = SPACES.split(line.strip());
        if (f.length != 4) {
          throw new IllegalArgumentException("malformed bandwidth line: " + line);
        }
        try {
          current.avg = TorEvents.parseUnsigned(f[1]);
          current.burst = TorEvents.parseUnsigned(f[2]);
          current.observed = TorEvents.parseUnsigned(f[3]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("malformed bandwidth line: " + line, e);
        }
      }
    }
    if (current != null) {
      out.add(current.build());
    }
    return out;
  }

  /** {@code router nickname address ORPort SOCKSPort DirPort}. */
  private static Builder router(String line) {
    String[] f = SPACES.split(line.strip());
    if (f.length != 6) {
      throw new IllegalArgumentException("malformed router line: " + line);
    }
    Builder b = new Builder();
    b.nickname = f[1];
    b.address = f[2];
    try {
      long port = TorEvents.parseUnsigned(f[3]);
      if (port > 65535) {
        throw new IllegalArgumentException("port out of range: " + f[3]);
      }
      b.orPort = (int) port;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed router line: " + line, e);
    }
    return b;
  }

  private static final class Builder {
    String nickname;
    String address;
    int orPort;
    String fingerprint;
    Instant published;
    Optional<String> masterKey = Optional.empty();
    long avg = -1;
    long burst;
    long observed;

    ServerDescriptor build() {
      String what = "descriptor of router " + nickname;
      if (fingerprint == null) {
        throw new IllegalArgumentException(what + " has no fingerprint line");
      }
      if (published == null) {
        throw new IllegalArgumentException(what + " has no published line");
      }
      if (avg < 0) {
        throw new IllegalArgumentException(what + " has no bandwidth line");
      }
      return new ServerDescriptor(
          nickname, fingerprint, address, orPort, published, masterKey, avg, burst, observed);
    }
  }
}
