package org.flashflow.coord.measurer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.flashflow.common.tls.Certificates;

/**
 * Where a connection's measurer name comes from. Production reads the {@code O=} of the verified
 * peer certificate; codec tests, which have no TLS, supply a fixed name.
 */
@FunctionalInterface
interface PeerNames {
  /** The peer's name, or empty if its certificate does not carry exactly one {@code O=}. */
  Optional<String> nameOf(ChannelHandlerContext ctx);

  /** The {@code O=} of the peer certificate the channel's {@link SslHandler} verified. */
  static PeerNames fromCertificate() {
    return ctx -> {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl == null) {
        return Optional.empty();
      }
      try {
        Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
          return Optional.empty();
        }
        return Certificates.organization((X509Certificate) chain[0]);
      } catch (SSLPeerUnverifiedException e) {
        return Optional.empty();
      }
    };
  }
}
