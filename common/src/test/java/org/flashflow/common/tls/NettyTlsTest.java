package org.flashflow.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files load into Netty exactly as the coordinator and measurer will load them, and two pinned
 * self-signed identities complete a mutually authenticated handshake (pumped in memory, so no
 * sockets and no waiting).
 */
class NettyTlsTest {
  @TempDir Path dir;
  private File coord;
  private File alice;
  private File mallory;

  @BeforeEach
  void keys() throws Exception {
    coord = generate("coord");
    alice = generate("alice");
    mallory = generate("mallory");
  }

  @Test
  void mutualHandshakeWithPinnedCertificates() throws Exception {
    SSLEngine server = serverTrusting(alice);
    SSLEngine client = clientOf(alice);

    ByteBuffer received = handshakeAndSend(client, server, "hello");

    assertEquals("hello", StandardCharsets.UTF_8.decode(received).toString());
    X509Certificate clientSeen = (X509Certificate) server.getSession().getPeerCertificates()[0];
    X509Certificate serverSeen = (X509Certificate) client.getSession().getPeerCertificates()[0];
    assertEquals("alice", Certificates.requireOrganization(clientSeen));
    assertEquals("coord", Certificates.requireOrganization(serverSeen));
  }

  @Test
  void unpinnedClientIsRejected() throws Exception {
    SSLEngine server = serverTrusting(alice);
    SSLEngine client = clientOf(mallory);

    assertThrows(SSLException.class, () -> handshakeAndSend(client, server, "hello"));
  }

  private File generate(String name) throws Exception {
    Path file = dir.resolve(name + ".pem");
    KeyGen.generate(name, file);
    return file.toFile();
  }

  private SSLEngine serverTrusting(File peer) throws SSLException {
    SslContext ctx =
        SslContextBuilder.forServer(coord, coord)
            .trustManager(peer)
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    return ctx.newEngine(UnpooledByteBufAllocator.DEFAULT);
  }

  private SSLEngine clientOf(File self) throws SSLException {
    SslContext ctx =
        SslContextBuilder.forClient()
            .keyManager(self, self)
            .trustManager(coord)
            // Pinned certificates name a peer by O=, not by host name.
            .endpointIdentificationAlgorithm(null)
            .build();
    return ctx.newEngine(UnpooledByteBufAllocator.DEFAULT);
  }

  /** Runs both engines until the client's message arrives at the server; returns it. */
  private static ByteBuffer handshakeAndSend(SSLEngine client, SSLEngine server, String msg)
      throws SSLException {
    ByteBuffer clientOut = ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8));
    ByteBuffer serverOut = ByteBuffer.allocate(0);
    ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
    ByteBuffer clientIn = ByteBuffer.allocate(1 << 16);
    ByteBuffer serverIn = ByteBuffer.allocate(1 << 16);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 50; round++) {
      client.wrap(clientOut, toServer);
      runTasks(client);
      server.wrap(serverOut, toClient);
      runTasks(server);
      toServer.flip();
      toClient.flip();
      client.unwrap(toClient, clientIn);
      runTasks(client);
      server.unwrap(toServer, serverIn);
      runTasks(server);
      toServer.compact();
      toClient.compact();
      if (serverIn.position() == msg.length()) {
        assertTrue(client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING);
        return serverIn.flip();
      }
    }
    throw new AssertionError("no handshake after 50 rounds");
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask();
        task != null;
        task = engine.getDelegatedTask()) {
      task.run();
    }
  }
}
