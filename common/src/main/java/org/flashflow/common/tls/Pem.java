package org.flashflow.common.tls;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** PEM encoding, written by hand because the JDK has none and BouncyCastle's adds nothing. */
final class Pem {
  private static final Base64.Encoder ENCODER =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + ENCODER.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  static String encode(X509Certificate cert) {
    try {
      return encode("CERTIFICATE", cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate we just built", e);
    }
  }
}
