package org.flashflow.common.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * Netty TLS contexts for the measurer protocol (docs/protocol.md section 2): mutual TLS with
 * pinned, self-signed certificates. Trust is exactly the given certificates, not the system CAs,
 * and hostname verification is off because a pinned certificate already names its peer and peers
 * are reached by IP address or {@code localhost}.
 */
public final class TlsContexts {
  /** TLS 1.3 preferred, 1.2 for older peers; nothing older. */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private TlsContexts() {}

  /**
   * The coordinator's context: presents the key and certificate in {@code ownPem}, requires a
   * client certificate and accepts only those in {@code trustedPems}. With no trusted certificates
   * every measurer is refused rather than the coordinator failing to start: it still serves its
   * control socket and can be given keys later.
   *
   * @throws IOException naming the file that is missing, unreadable or unusable
   */
  public static SslContext server(Path ownPem, List<Path> trustedPems) throws IOException {
    PrivateKey key = PemFiles.readPrivateKey(ownPem);
    List<X509Certificate> chain = PemFiles.readCertificates(ownPem);
    List<X509Certificate> trusted = new ArrayList<>();
    for (Path p : trustedPems) {
      trusted.addAll(PemFiles.readCertificates(p));
    }
    SslContextBuilder b = SslContextBuilder.forServer(key, chain);
    if (trusted.isEmpty()) {
      b.trustManager(new RejectAll());
    } else {
      b.trustManager(trusted);
    }
    b.clientAuth(ClientAuth.REQUIRE).protocols(PROTOCOLS).endpointIdentificationAlgorithm(null);
    return build(b, ownPem);
  }

  /**
   * A measurer's context: presents the key and certificate in {@code ownPem} and accepts only the
   * coordinator certificate(s) in {@code trustedPem}.
   *
   * @throws IOException naming the file that is missing, unreadable or unusable
   */
  public static SslContext client(Path ownPem, Path trustedPem) throws IOException {
    PrivateKey key = PemFiles.readPrivateKey(ownPem);
    List<X509Certificate> chain = PemFiles.readCertificates(ownPem);
    List<X509Certificate> trusted = PemFiles.readCertificates(trustedPem);
    SslContextBuilder b =
        SslContextBuilder.forClient()
            .keyManager(key, chain)
            .trustManager(trusted)
            .protocols(PROTOCOLS)
            // Netty 4.2 verifies host names by default; pinning makes that meaningless here.
            .endpointIdentificationAlgorithm(null);
    return build(b, ownPem);
  }

  /**
   * The certificate files the coordinator trusts: every {@code *.pem} directly in {@code keydir}
   * except the coordinator's own key file (compared by real path, so another spelling of it or a
   * symlink to it is still recognised). Sorted, for stable log output.
   *
   * @throws IOException naming {@code keydir} if it cannot be listed
   */
  public static List<Path> trustedPemsIn(Path keydir, Path ownKey) throws IOException {
    Path own = realPathOrNull(ownKey);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(keydir, "*.pem")) {
      for (Path p : dir) {
        if (Files.isRegularFile(p) && (own == null || !p.toRealPath().equals(own))) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException("key directory " + keydir + " does not exist", e);
    } catch (IOException e) {
      throw new IOException("cannot list key directory " + keydir + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  private static SslContext build(SslContextBuilder b, Path ownPem) throws IOException {
    try {
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(ownPem + ": cannot use this key and certificate: " + e.getMessage(), e);
    }
  }

  private static Path realPathOrNull(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /** Trust for an empty trust list: PKIX refuses to start with no anchors, so say no ourselves. */
  private static final class RejectAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("no trusted certificates configured");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("no trusted certificates configured");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
