package org.flashflow.testnet.control;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import org.flashflow.testnet.Directory;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.RelayEntry;

/**
 * Router status entries (dir-spec 3.4.1) in the form of stock tor's {@code GETINFO ns/...}: {@code
 * r}, {@code s}, {@code w}, {@code p} lines, CRLF, as in {@code samples/stock-tor/getinfo-ns.txt}.
 * Pure.
 */
public final class RouterStatusFormat {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String FLAGS = "s Fast Guard Running Stable V2Dir Valid";

  private RouterStatusFormat() {}

  /** One entry, each line ending in CRLF. {@code w Bandwidth} is the capacity in kB/s. */
  public static String entry(Directory dir, RelayEntry r) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    String identity = b64.encodeToString(HexFormat.of().parseHex(r.fingerprint()));
    String digest = b64.encodeToString(Fingerprints.descriptorDigest(dir.seed(), r.nickname()));
    return "r "
        + r.nickname()
        + " "
        + identity
        + " "
        + digest
        + " "
        + DATE_TIME.format(dir.published())
        + " "
        + r.address()
        + " "
        + r.orPort()
        + " 0\r\n"
        + FLAGS
        + "\r\n"
        + "w Bandwidth="
        + Math.max(1, r.spec().capacity() / 1000)
        + "\r\n"
        + "p reject 1-65535\r\n";
  }
}
