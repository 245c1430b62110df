package org.flashflow.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshakes between in-memory channels: the contexts' trust decisions without sockets. */
class TlsContextsTest {
  @TempDir Path dir;
  private Path coord;
  private Path alice;
  private Path mallory;

  @BeforeEach
  void keys() throws IOException {
    coord = dir.resolve("coord.pem");
    alice = dir.resolve("alice.pem");
    mallory = dir.resolve("other/mallory.pem");
    KeyGen.generate("coord", coord);
    KeyGen.generate("alice", alice);
    KeyGen.generate("mallory", mallory);
  }

  @Test
  void trustedPeersHandshakeWithTls13AndSeeEachOthersCertificates() throws Exception {
    Handshake h =
        Handshake.run(TlsContexts.server(coord, List.of(alice)), TlsContexts.client(alice, coord));
    assertTrue(h.server.handshakeFuture().isSuccess(), () -> h.describe());
    assertTrue(h.client.handshakeFuture().isSuccess(), () -> h.describe());
    assertEquals("TLSv1.3", h.server.engine().getSession().getProtocol());
    X509Certificate peer =
        (X509Certificate) h.server.engine().getSession().getPeerCertificates()[0];
    assertEquals("alice", Certificates.requireOrganization(peer));
  }

  @Test
  void serverRefusesClientCertificateNotInItsList() throws Exception {
    Handshake h =
        Handshake.run(
            TlsContexts.server(coord, List.of(alice)), TlsContexts.client(mallory, coord));
    assertFailed(h.server);
  }

  @Test
  void serverWithNoTrustedCertificatesRefusesEveryone() throws Exception {
    Handshake h =
        Handshake.run(TlsContexts.server(coord, List.of()), TlsContexts.client(alice, coord));
    assertFailed(h.server);
  }

  @Test
  void clientRefusesServerOtherThanThePinnedOne() throws Exception {
    // mallory poses as the coordinator and even trusts alice.
    Handshake h =
        Handshake.run(
            TlsContexts.server(mallory, List.of(alice)), TlsContexts.client(alice, coord));
    assertFailed(h.client);
    assertFalse(h.server.handshakeFuture().isSuccess());
  }

  /** Done and failed by TLS, not merely unfinished because no bytes moved. */
  private static void assertFailed(SslHandler h) {
    assertTrue(h.handshakeFuture().isDone(), "handshake still pending");
    assertFalse(h.handshakeFuture().isSuccess());
    assertInstanceOf(SSLException.class, h.handshakeFuture().cause());
  }

  @Test
  void missingOwnKeyFileIsNamed() {
    Path missing = dir.resolve("nope.pem");
    IOException e =
        assertThrows(IOException.class, () -> TlsContexts.server(missing, List.of(alice)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    e = assertThrows(IOException.class, () -> TlsContexts.client(missing, coord));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void unreadableTrustedFileIsNamed() throws IOException {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate\n");
    IOException e =
        assertThrows(IOException.class, () -> TlsContexts.server(coord, List.of(alice, garbage)));
    assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
    e = assertThrows(IOException.class, () -> TlsContexts.client(alice, garbage));
    assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
  }

  @Test
  void trustedPemsAreThePemFilesOtherThanTheOwnKey() throws IOException {
    Files.writeString(dir.resolve("README.txt"), "not a key");
    Files.createDirectory(dir.resolve("sub.pem"));
    Path bob = dir.resolve("bob.pem");
    Files.copy(alice, bob);
    // Another spelling of the own key file is still the own key file.
    Path ownSpelledOddly = dir.resolve("other/../coord.pem");
    assertEquals(List.of(alice, bob), TlsContexts.trustedPemsIn(dir, ownSpelledOddly));
  }

  @Test
  void ownKeyReachedThroughASymlinkIsExcluded() throws IOException {
    Path link = dir.resolve("other/coord-link.pem");
    Files.createSymbolicLink(link, coord);
    assertEquals(List.of(alice), TlsContexts.trustedPemsIn(dir, link));
  }

  @Test
  void missingKeyDirectoryIsNamed() {
    Path missing = dir.resolve("no-keys");
    IOException e =
        assertThrows(IOException.class, () -> TlsContexts.trustedPemsIn(missing, coord));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  /** Two SslHandlers on EmbeddedChannels, bytes pumped between them until neither has more. */
  private static final class Handshake {
    final SslHandler server;
    final SslHandler client;

    private Handshake(SslHandler server, SslHandler client) {
      this.server = server;
      this.client = client;
    }

    static Handshake run(SslContext serverCtx, SslContext clientCtx) {
      EmbeddedChannel s = new EmbeddedChannel();
      EmbeddedChannel c = new EmbeddedChannel();
      SslHandler sh = serverCtx.newHandler(s.alloc());
      SslHandler ch = clientCtx.newHandler(c.alloc());
      s.pipeline().addLast(sh);
      c.pipeline().addLast(ch);
      for (int round = 0; round < 50; round++) {
        boolean moved = pump(c, s) | pump(s, c);
        if (!moved) {
          break;
        }
      }
      s.finishAndReleaseAll();
      c.finishAndReleaseAll();
      return new Handshake(sh, ch);
    }

    private static boolean pump(EmbeddedChannel from, EmbeddedChannel to) {
      boolean moved = false;
      for (ByteBuf b = from.readOutbound(); b != null; b = from.readOutbound()) {
        moved = true;
        if (to.isOpen()) {
          try {
            to.writeInbound(b);
          } catch (RuntimeException e) {
            // A handshake failure surfaces here; the handshake futures record it.
          }
        } else {
          b.release();
        }
      }
      return moved;
    }

    String describe() {
      return "server: "
          + server.handshakeFuture().cause()
          + ", client: "
          + client.handshakeFuture().cause();
    }
  }
}
