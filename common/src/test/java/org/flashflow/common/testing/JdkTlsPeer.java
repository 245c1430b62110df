package org.flashflow.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.flashflow.common.tls.PemFiles;

/**
 * A peer of the measurer protocol built on the JDK's own {@link SSLSocket} rather than Netty: the
 * TLS stack of another implementation. Its TLS is layered over a plain socket that it does not
 * close with the TLS session, so a test can end TLS (close_notify) while TCP stays open and then
 * watch what the other side does with TCP, as Python's {@code ssl} and OpenSSL's {@code s_client}
 * do when they shut down properly.
 */
public final class JdkTlsPeer implements AutoCloseable {
  private final Socket raw;
  private final SSLSocket tls;

  private JdkTlsPeer(Socket raw, SSLSocket tls) {
    this.raw = raw;
    this.tls = tls;
  }

  /**
   * Layers TLS over the connected {@code raw} socket and completes the handshake.
   *
   * @param ownPem key and certificate to present
   * @param trustedPem the only certificate(s) to trust
   * @param protocol {@code TLSv1.2} or {@code TLSv1.3}, the only one offered
   * @param client which side of the handshake we are (a server asks for a certificate)
   *     <p>Reads give up after 15 s.
   */
  public static JdkTlsPeer handshake(
      Socket raw, Path ownPem, Path trustedPem, String protocol, boolean client)
      throws IOException {
    raw.setSoTimeout(15_000); // no test hangs on a read
    SSLContext ctx = context(ownPem, trustedPem);
    SSLSocket tls =
        (SSLSocket)
            ctx.getSocketFactory()
                .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), false);
    tls.setEnabledProtocols(new String[] {protocol});
    tls.setUseClientMode(client);
    if (!client) {
      tls.setNeedClientAuth(true);
    }
    tls.startHandshake();
    return new JdkTlsPeer(raw, tls);
  }

  /** The protocol the handshake agreed on. */
  public String protocol() {
    return tls.getSession().getProtocol();
  }

  public SSLSocket tls() {
    return tls;
  }

  public Socket raw() {
    return raw;
  }

  /**
   * Ends the TLS session as a well-behaved stack does: sends close_notify (TCP stays open), reads
   * until the other side's close_notify (discarding any data before it), then waits for TCP to
   * close. Fails naming the step that did not happen within {@code deadline}.
   *
   * @return the time from our close_notify until TCP was closed by the other side
   */
  public Duration closeNotifyAndAwaitAnswer(Duration deadline) throws IOException {
    int millis = Math.toIntExact(deadline.toMillis());
    raw.setSoTimeout(millis);
    long start = System.nanoTime();
    tls.shutdownOutput();
    InputStream in = tls.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // Data sent before the other side's close_notify: not what is being tested.
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no close_notify answered ours within " + millis + " ms (" + protocol() + ")", e);
    }
    try {
      int b = raw.getInputStream().read();
      if (b >= 0) {
        throw new AssertionError("bytes after the close_notify (" + protocol() + "): " + b);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "close_notify answered, but TCP still open after " + millis + " ms (" + protocol() + ")",
          e);
    } catch (SocketException reset) {
      // A reset closes TCP too.
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }

  /** A JDK TLS context presenting {@code ownPem} and trusting exactly {@code trustedPem}. */
  public static SSLContext context(Path ownPem, Path trustedPem) throws IOException {
    PrivateKey key = PemFiles.readPrivateKey(ownPem);
    List<X509Certificate> chain = PemFiles.readCertificates(ownPem);
    List<X509Certificate> trusted = PemFiles.readCertificates(trustedPem);
    try {
      char[] pw = "unused".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("own", key, pw, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, pw);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        trust.setCertificateEntry("trusted" + i, trusted.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build a JDK TLS context from " + ownPem + ": " + e, e);
    }
  }
}
