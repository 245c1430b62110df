package org.flashflow.testnet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Relay identities derived from the network's seed and the nickname, so that they are the same at
 * every start (a coordinator's results and a measurement schedule outlive a testnet restart) with
 * nothing to persist. Real fingerprints are SHA-1 digests of identity keys; these are SHA-1 digests
 * too, of a string, so they look the same.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** 40 upper-case hex digits: SHA-1 of {@code seed "/" nickname}. */
  public static String of(String seed, String nickname) {
    return HexFormat.of().withUpperCase().formatHex(sha1(seed + "/" + nickname));
  }

  /** The 20-byte "descriptor digest" of a router status entry, stable like the fingerprint. */
  public static byte[] descriptorDigest(String seed, String nickname) {
    return sha1(seed + "/" + nickname + "/descriptor");
  }

  private static byte[] sha1(String text) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JRE", e);
    }
  }
}
