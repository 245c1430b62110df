package org.flashflow.testnet.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.flashflow.testnet.Directory;
import org.flashflow.testnet.RelayEntry;

/**
 * Server descriptors (dir-spec 2.1.1) in the form of stock tor's {@code GETINFO desc/id/<fp>}
 * ({@code samples/stock-tor/getinfo-desc-id.txt}), cut down to the lines a controller reads: {@code
 * router}, {@code master-key-ed25519}, {@code platform}, {@code published}, {@code fingerprint},
 * {@code uptime}, {@code bandwidth <avg> <burst> <observed>}, an exit policy. No keys or
 * signatures: nothing checks them here. CRLF lines. Pure.
 */
public final class DescriptorFormat {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private DescriptorFormat() {}

  /**
   * One descriptor: {@code bandwidth-avg} is the relay's {@code advertised_avg} (by default 10
   * times its capacity), burst twice that, observed its capacity.
   */
  public static String descriptor(Directory dir, RelayEntry r) {
    long avg = r.spec().descriptorAvg();
    long burst = avg > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : avg * 2;
    StringBuilder fp = new StringBuilder();
    for (int i = 0; i < 40; i += 4) {
      fp.append(i == 0 ? "" : " ").append(r.fingerprint(), i, i + 4);
    }
    return "router "
        + r.nickname()
        + " "
        + r.address()
        + " "
        + r.orPort()
        + " 0 0\r\n"
        + "master-key-ed25519 "
        + masterKey(dir.seed(), r.nickname())
        + "\r\n"
        + "platform Tor "
        + ControlPort.VERSION
        + " on FlashFlow testnet\r\n"
        + "published "
        + DATE_TIME.format(dir.published())
        + "\r\n"
        + "fingerprint "
        + fp
        + "\r\n"
        + "uptime 0\r\n"
        + "bandwidth "
        + avg
        + " "
        + burst
        + " "
        + r.spec().capacity()
        + "\r\n"
        + "reject *:*\r\n";
  }

  /** A stable stand-in for the ed25519 identity: SHA-256 of seed and nickname, base64. */
  static String masterKey(String seed, String nickname) {
    try {
      byte[] key =
          MessageDigest.getInstance("SHA-256")
              .digest((seed + "/" + nickname + "/ed25519").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(key);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JRE", e);
    }
  }
}
