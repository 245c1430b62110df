package org.flashflow.torctl.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.flashflow.torctl.model.ControlLine;
import org.flashflow.torctl.model.MalformedTorReplyException;
import org.flashflow.torctl.model.ProtocolInfo;
import org.flashflow.torctl.model.TorConnectionLostException;
import org.flashflow.torctl.model.TorControlException;

/**
 * Chooses and performs one authentication method (control-spec 3.5, 3.24): NULL, then SAFECOOKIE,
 * then COOKIE, then HASHEDPASSWORD if a password is configured. jtorctl only knows {@code
 * AUTHENTICATE <hex>}, so the SAFECOOKIE challenge is done here.
 */
public final class TorAuthenticator {
  public static final String SERVER_KEY =
      "Tor safe cookie authentication server-to-controller hash";
  public static final String CLIENT_KEY =
      "Tor safe cookie authentication controller-to-server hash";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** Sends one command line and returns the messages of its reply lines. */
  interface Commander {
    List<String> send(String line) throws TorControlException;
  }

  private final Commander tor;
  private final String where;

  public TorAuthenticator(Commander tor, String where) {
    this.tor = tor;
    this.where = where;
  }

  void authenticate(ProtocolInfo info, TorControlSettings settings) throws TorControlException {
    var methods = info.authMethods();
    if (methods.contains("NULL")) {
      send("AUTHENTICATE");
    } else if (methods.contains("SAFECOOKIE")) {
      safeCookie(readCookie(cookiePath(info, settings)));
    } else if (methods.contains("COOKIE")) {
      send("AUTHENTICATE " + HEX.formatHex(readCookie(cookiePath(info, settings))));
    } else if (methods.contains("HASHEDPASSWORD") && settings.password().isPresent()) {
      byte[] pw = settings.password().get().getBytes(StandardCharsets.UTF_8);
      send("AUTHENTICATE " + HEX.formatHex(pw));
    } else {
      String hint = methods.contains("HASHEDPASSWORD") ? "; set [tor] control_password" : "";
      throw new TorControlException(
          "tor at "
              + where
              + " offers no authentication method we can use (offered: "
              + String.join(",", methods.stream().sorted().toList())
              + hint
              + ")");
    }
  }

  private void safeCookie(byte[] cookie) throws TorControlException {
    byte[] clientNonce = new byte[32];
    new SecureRandom().nextBytes(clientNonce);
    List<String> reply = tor.send("AUTHCHALLENGE SAFECOOKIE " + HEX.formatHex(clientNonce));
    byte[] serverHash;
    byte[] serverNonce;
    try {
      List<String> words = ControlLine.words(reply.get(reply.size() - 1));
      if (!words.get(0).equals("AUTHCHALLENGE")) {
        throw new IllegalArgumentException("not an AUTHCHALLENGE reply");
      }
      Map<String, String> kv = ControlLine.keyValues(words, 1);
      serverHash = HexFormat.of().parseHex(kv.getOrDefault("SERVERHASH", ""));
      serverNonce = HexFormat.of().parseHex(kv.getOrDefault("SERVERNONCE", ""));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new MalformedTorReplyException(
          "tor at " + where + " sent a malformed AUTHCHALLENGE reply: " + reply);
    }
    byte[] expected = hmac(SERVER_KEY, cookie, clientNonce, serverNonce);
    if (!MessageDigest.isEqual(expected, serverHash)) {
      throw new TorControlException(
          "tor at "
              + where
              + " failed the SAFECOOKIE check: its server hash does not match our cookie"
              + " (wrong cookie file, or not the tor we meant)");
    }
    send("AUTHENTICATE " + HEX.formatHex(hmac(CLIENT_KEY, cookie, clientNonce, serverNonce)));
  }

  private void send(String line) throws TorControlException {
    try {
      tor.send(line);
    } catch (TorConnectionLostException e) {
      throw e;
    } catch (TorControlException e) {
      throw new TorControlException(
          "tor at " + where + " refused authentication: " + e.torReply().orElse(e.getMessage()),
          e.statusCode().orElse(-1),
          e.torReply().orElse(null),
          e);
    }
  }

  private static Path cookiePath(ProtocolInfo info, TorControlSettings settings)
      throws TorControlException {
    Optional<Path> p = settings.cookieFile().or(info::cookieFile);
    if (p.isEmpty()) {
      throw new TorControlException(
          "tor offers cookie authentication but names no cookie file; set [tor] cookie_file");
    }
    return p.get();
  }

  private static byte[] readCookie(Path file) throws TorControlException {
    byte[] cookie;
    try {
      cookie = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TorControlException("cannot read cookie file " + file + ": " + e, e);
    }
    if (cookie.length != 32) {
      throw new TorControlException(
          "cookie file " + file + " has " + cookie.length + " bytes, expected 32");
    }
    return cookie;
  }

  /** HMAC-SHA256 keyed with the constant, over cookie | client nonce | server nonce. */
  static byte[] hmac(String key, byte[] cookie, byte[] clientNonce, byte[] serverNonce) {
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
}
