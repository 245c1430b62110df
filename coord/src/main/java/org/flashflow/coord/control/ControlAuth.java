package org.flashflow.coord.control;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a TCP control connection must send before any command ({@code [coord] ctrl_auth}): the
 * cookie's 64 hex digits, the password, or nothing. The Unix control socket never asks: its file
 * permissions decide who may connect, as with tor's ControlSocket.
 */
public sealed interface ControlAuth {
  /** {@code ctrl_auth = none}: every connection may send commands at once. */
  record None() implements ControlAuth {}

  /** {@code ctrl_auth = cookie}: the 32 random bytes of this run's cookie file. */
  record Cookie(byte[] cookie) implements ControlAuth {
    public Cookie {
      if (cookie.length != CookieFile.COOKIE_BYTES) {
        throw new IllegalArgumentException("a cookie has " + CookieFile.COOKIE_BYTES + " bytes");
      }
      cookie = cookie.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cookie c && MessageDigest.isEqual(cookie, c.cookie);
    }

    @Override
    public int hashCode() {
      return 0; // never hashed; equals only for tests
    }

    @Override
    public String toString() {
      return "Cookie[...]";
    }
  }

  /** {@code ctrl_auth = password}: checked against {@code ctrl_password_hash}. */
  record Password(PasswordHash hash) implements ControlAuth {
    public Password {
      Objects.requireNonNull(hash, "hash");
    }
  }

  /** The argument of an {@code auth} line is right, in constant time for the cookie. */
  static boolean accepts(ControlAuth auth, String secret) {
    if (auth instanceof None) {
      return true;
    }
    if (auth instanceof Cookie c) {
      byte[] given;
      try {
        given = HexFormat.of().parseHex(secret);
      } catch (IllegalArgumentException e) {
        return false;
      }
      return MessageDigest.isEqual(c.cookie, given);
    }
    if (auth instanceof Password p) {
      return p.hash.matches(secret);
    }
    throw new AssertionError(auth);
  }

  /** A check that takes long enough (scrypt) that it must not run on the event loop. */
  static boolean isSlow(ControlAuth auth) {
    return auth instanceof Password;
  }
}
