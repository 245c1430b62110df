package org.flashflow.common.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads keys and certificates from PEM files such as those {@link KeyGen} writes, or an operator
 * made with openssl. Errors are {@link IOException}s whose message names the file and what was
 * wrong with it, because they end up in front of an operator who must fix that file.
 */
public final class PemFiles {
  private PemFiles() {}

  /**
   * Returns the first private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}) or the traditional
   * OpenSSL forms ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}). Encrypted keys are refused,
   * because a daemon has nobody to ask for the passphrase.
   *
   * @throws IOException if the file cannot be read or holds no usable private key
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    for (Object o : readObjects(file)) {
      if (o instanceof PrivateKeyInfo) {
        return toPrivateKey(file, (PrivateKeyInfo) o);
      }
      if (o instanceof PEMKeyPair) {
        return toPrivateKey(file, ((PEMKeyPair) o).getPrivateKeyInfo());
      }
      if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
        throw new IOException(
            file + ": the private key is encrypted; an unencrypted one is needed");
      }
    }
    throw new IOException(file + ": no private key (a PRIVATE KEY block) found");
  }

  /**
   * Returns every certificate in {@code file}, in file order; other blocks (keys) are skipped.
   *
   * @throws IOException if the file cannot be read or holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certs = new ArrayList<>();
    for (Object o : readObjects(file)) {
      if (o instanceof X509CertificateHolder) {
        try {
          certs.add(converter.getCertificate((X509CertificateHolder) o));
        } catch (CertificateException e) {
          throw new IOException(file + ": unusable certificate: " + e.getMessage(), e);
        }
      }
    }
    if (certs.isEmpty()) {
      throw new IOException(file + ": no certificate (a CERTIFICATE block) found");
    }
    return List.copyOf(certs);
  }

  private static PrivateKey toPrivateKey(Path file, PrivateKeyInfo info) throws IOException {
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new IOException(file + ": unusable private key: " + e.getMessage(), e);
    }
  }

  private static List<Object> readObjects(Path file) throws IOException {
    List<Object> objects = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    } catch (IOException e) {
      // Neither the JDK's nor BouncyCastle's messages always say which file they are about.
      throw new IOException(file + ": " + describe(e), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException(file + ": malformed PEM: " + e.getMessage(), e);
    }
    return objects;
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
