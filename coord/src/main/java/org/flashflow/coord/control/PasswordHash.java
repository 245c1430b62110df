package org.flashflow.coord.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The stored form of {@code [coord] ctrl_password_hash}: scrypt in the PHC string format, {@code
 * $scrypt$ln=15,r=8,p=1$<salt>$<hash>} (unpadded base64), which {@code flashflow hash-password}
 * prints.
 *
 * <p>Why scrypt: it is memory-hard (32 MiB per guess with these parameters), so a stolen config
 * costs an attacker's GPUs far more per guess than PBKDF2 or tor's iterated-SHA1 S2K would, and
 * BouncyCastle, which the project already ships for its certificates, has it; no new dependency. A
 * check takes about 0.1 s of one core, which is why the control server runs it off the event loop.
 */
public final class PasswordHash {
  private static final Pattern PHC =
      Pattern.compile(
          "\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final int LOG2_N = 15;
  private static final int R = 8;
  private static final int P = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final int log2N;
  private final int r;
  private final int p;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int log2N, int r, int p, byte[] salt, byte[] hash) {
    this.log2N = log2N;
    this.r = r;
    this.p = p;
    this.salt = salt;
    this.hash = hash;
  }

  /** Hashes {@code password} with a fresh random salt and the default cost. */
  public static PasswordHash create(String password, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(LOG2_N, R, P, salt, derive(password, salt, LOG2_N, R, P, HASH_BYTES));
  }

  /**
   * Reads the stored form.
   *
   * @throws IllegalArgumentException what is wrong with it, for the config error
   */
  public static PasswordHash parse(String stored) {
    Matcher m = PHC.matcher(stored.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a hash from 'flashflow hash-password' ($scrypt$ln=..,r=..,p=..$salt$hash)");
    }
    int log2N = Integer.parseInt(m.group(1));
    int r = Integer.parseInt(m.group(2));
    int p = Integer.parseInt(m.group(3));
    // Bounds keep a typo from making every check take minutes or gigabytes.
    if (log2N < 10 || log2N > 20 || r < 1 || r > 16 || p < 1 || p > 4) {
      throw new IllegalArgumentException(
          "scrypt parameters within ln=10..20, r=1..16, p=1..4 (from 'flashflow hash-password')");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(m.group(4));
    byte[] hash = b64.decode(m.group(5));
    if (salt.length < 8 || hash.length < 16) {
      throw new IllegalArgumentException("a salt of 8 bytes or more and a hash of 16 or more");
    }
    return new PasswordHash(log2N, r, p, salt, hash);
  }

  /** Whether {@code password} matches, in time independent of where a wrong one differs. */
  public boolean matches(String password) {
    return MessageDigest.isEqual(hash, derive(password, salt, log2N, r, p, hash.length));
  }

  /** The stored form, for {@code ctrl_password_hash}. */
  @Override
  public String toString() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$scrypt$ln="
        + log2N
        + ",r="
        + r
        + ",p="
        + p
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  private static byte[] derive(String password, byte[] salt, int log2N, int r, int p, int len) {
    return SCrypt.generate(password.getBytes(StandardCharsets.UTF_8), salt, 1 << log2N, r, p, len);
  }
}
