package org.flashflow.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.DecoderException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class NettyErrorsTest {
  @Test
  void unwrapsDecoderExceptionsThatOnlyRepeatTheirCause() {
    Throwable tls = new SSLHandshakeException("Received fatal alert: bad_certificate");
    assertEquals(
        "Received fatal alert: bad_certificate",
        NettyErrors.describe(new DecoderException(new DecoderException(tls))));
  }

  @Test
  void keepsADecoderExceptionWithItsOwnMessage() {
    assertEquals(
        "frame too long",
        NettyErrors.describe(new DecoderException("frame too long", new RuntimeException("x"))));
  }

  @Test
  void namesTheClassWithoutAMessageAndShortensLongOnes() {
    assertEquals("IllegalStateException", NettyErrors.describe(new IllegalStateException()));
    String shown = NettyErrors.describe(new RuntimeException("y".repeat(500)));
    assertEquals(NettyErrors.MAX_DETAIL + 3, shown.length());
  }
}
