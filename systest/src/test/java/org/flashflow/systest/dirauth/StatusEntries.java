package org.flashflow.systest.dirauth;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The {@code w} line of every router status entry in a vote or consensus, by fingerprint. */
final class StatusEntries {
  private StatusEntries() {}

  /** Fingerprint (from the {@code r} line's identity) to its entry's {@code w} line. */
  static Map<String, String> wLines(String document) {
    Map<String, String> out = new TreeMap<>();
    String fp = null;
    for (String line : document.lines().toList()) {
      if (line.startsWith("r ")) {
        byte[] id = Base64.getDecoder().decode(line.split(" ")[2]);
        fp = HexFormat.of().withUpperCase().formatHex(id);
      } else if (line.startsWith("w ") && fp != null) {
        out.put(fp, line);
      }
    }
    return out;
  }

  /** The document's lines before its first router status entry. */
  static String preamble(String document) {
    int r = document.indexOf("\nr ");
    return r < 0 ? document : document.substring(0, r + 1);
  }
}
