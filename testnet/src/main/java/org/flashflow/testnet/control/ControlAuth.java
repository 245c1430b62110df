package org.flashflow.testnet.control;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.flashflow.testnet.TestnetConfig.AuthMode;

/**
 * One tor's authentication secret and the checks of control-spec 3.5 and 3.24, with stock tor's
 * wording for every refusal. Immutable; the SAFECOOKIE nonces live in the session.
 *
 * @param cookie 32 bytes for {@link AuthMode#COOKIE}, else empty
 * @param cookieFile where the cookie is, named in PROTOCOLINFO
 */
public record ControlAuth(
    AuthMode mode, byte[] cookie, Optional<Path> cookieFile, Optional<String> password) {
  static final String SERVER_KEY = "Tor safe cookie authentication server-to-controller hash";
  static final String CLIENT_KEY = "Tor safe cookie authentication controller-to-server hash";
  static final HexFormat HEX = HexFormat.of().withUpperCase();

  public ControlAuth {
    Objects.requireNonNull(mode, "mode");
    cookie = cookie.clone();
    if (mode == AuthMode.COOKIE && (cookie.length != 32 || cookieFile.isEmpty())) {
      throw new IllegalArgumentException("cookie authentication needs a 32-byte cookie file");
    }
    if (mode == AuthMode.PASSWORD && password.isEmpty()) {
      throw new IllegalArgumentException("password authentication needs a password");
    }
  }

  public static ControlAuth none() {
    return new ControlAuth(AuthMode.NULL, new byte[0], Optional.empty(), Optional.empty());
  }

  @Override
  public byte[] cookie() {
    return cookie.clone();
  }

  /** The {@code AUTH} line of PROTOCOLINFO, as stock tor writes it. */
  String protocolInfoLine() {
    return switch (mode) {
      case NULL -> "250-AUTH METHODS=NULL";
      case PASSWORD -> "250-AUTH METHODS=HASHEDPASSWORD";
      case COOKIE ->
          "250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="
              + quote(cookieFile.orElseThrow().toAbsolutePath().toString());
    };
  }

  /**
   * Checks the secret of {@code AUTHENTICATE}.
   *
   * @param secret the decoded argument (hex or quoted string), empty if none was given
   * @param safeCookie the nonces of a preceding AUTHCHALLENGE, if any
   * @return null if accepted, else the reply line (515 ...)
   */
  String check(byte[] secret, Optional<SafeCookie> safeCookie) {
    switch (mode) {
      case NULL:
        return null;
      case PASSWORD:
        byte[] pw = password.orElseThrow().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(pw, secret)
            ? null
            : "515 Authentication failed: Password did not match HashedControlPassword value from"
                + " configuration";
      case COOKIE:
        if (safeCookie.isPresent()) {
          byte[] expected =
              hmac(
                  CLIENT_KEY,
                  cookie,
                  safeCookie.get().clientNonce(),
                  safeCookie.get().serverNonce());
          return MessageDigest.isEqual(expected, secret)
              ? null
              : "515 Authentication failed: Safe cookie response did not match expected value.";
        }
        if (secret.length != 32) {
          return "515 Authentication failed: Wrong length on authentication cookie.";
        }
        return MessageDigest.isEqual(cookie, secret)
            ? null
            : "515 Authentication failed: Authentication cookie did not match expected value.";
    }
    throw new AssertionError(mode);
  }

  /** The server's part of SAFECOOKIE: the hash it proves knowledge of the cookie with. */
  byte[] serverHash(SafeCookie nonces) {
    return hmac(SERVER_KEY, cookie, nonces.clientNonce(), nonces.serverNonce());
  }

  /** The two nonces of one AUTHCHALLENGE exchange. */
  record SafeCookie(byte[] clientNonce, byte[] serverNonce) {}

  private static byte[] hmac(String key, byte[] cookie, byte[] clientNonce, byte[] serverNonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      mac.update(cookie);
      mac.update(clientNonce);
      mac.update(serverNonce);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
    }
  }

  /** A control-spec QuotedString. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlAuth a
        && a.mode == mode
        && MessageDigest.isEqual(a.cookie, cookie)
        && a.cookieFile.equals(cookieFile)
        && a.password.equals(password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, cookieFile, password);
  }

  /** Keeps secrets out of logs. */
  @Override
  public String toString() {
    return "ControlAuth[" + mode + cookieFile.map(p -> " " + p).orElse("") + "]";
  }
}
