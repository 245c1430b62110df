package org.flashflow.torctl.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What tor's {@code PROTOCOLINFO 1} reply (control-spec 3.21) tells a controller before it
 * authenticates: the methods it accepts and where its cookie file is.
 *
 * @param authMethods upper-case method names, e.g. {@code COOKIE}, {@code SAFECOOKIE}
 * @param cookieFile the {@code COOKIEFILE} path, if tor named one
 * @param torVersion the {@code VERSION Tor=} value, or empty if absent
 */
public record ProtocolInfo(Set<String> authMethods, Optional<Path> cookieFile, String torVersion) {
  public ProtocolInfo {
    authMethods = Set.copyOf(authMethods);
  }

  /**
   * Reads the reply of {@code PROTOCOLINFO 1}.
   *
   * @param lines the reply lines, either as jtorctl hands them ({@code AUTH METHODS=...}) or raw
   *     ({@code 250-AUTH METHODS=...}); other lines are ignored
   * @throws IllegalArgumentException if there is no well-formed {@code AUTH} line
   */
  public static ProtocolInfo parse(List<String> lines) {
    Set<String> methods = null;
    Optional<Path> cookie = Optional.empty();
    String version = "";
    for (String raw : lines) {
      String line = stripStatus(raw.strip());
      List<String> w = ControlLine.words(line);
      if (w.isEmpty()) {
        continue;
      }
      if (w.get(0).equals("AUTH")) {
        Map<String, String> kv = ControlLine.keyValues(w, 1);
        String m = kv.get("METHODS");
        if (m == null) {
          throw new IllegalArgumentException("PROTOCOLINFO AUTH line without METHODS: " + raw);
        }
        methods = m.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(m.split(",")));
        cookie = Optional.ofNullable(kv.get("COOKIEFILE")).map(Path::of);
      } else if (w.get(0).equals("VERSION")) {
        version = ControlLine.keyValues(w, 1).getOrDefault("TOR", "");
      }
    }
    if (methods == null) {
      throw new IllegalArgumentException("PROTOCOLINFO reply without an AUTH line: " + lines);
    }
    return new ProtocolInfo(methods, cookie, version);
  }

  private static String stripStatus(String line) {
    if (line.length() >= 4
        && Character.isDigit(line.charAt(0))
        && Character.isDigit(line.charAt(1))
        && Character.isDigit(line.charAt(2))
        && " -+".indexOf(line.charAt(3)) >= 0) {
      return line.substring(4);
    }
    return line;
  }
}
