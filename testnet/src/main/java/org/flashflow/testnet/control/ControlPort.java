package org.flashflow.testnet.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.flashflow.common.config.HostPort;
import org.flashflow.testnet.Directory;
import org.flashflow.testnet.RelayEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated tor's control port: the listening socket, its sessions, and event delivery to the
 * sessions that subscribed. The listener and every session are registered on one event loop, which
 * owns {@link #sessions}; the tor's {@link Extensions} run there too.
 */
public final class ControlPort {
  private static final Logger log = LoggerFactory.getLogger(ControlPort.class);

  /** tor's own longest command line is far shorter; a longer one is not a controller. */
  private static final int MAX_LINE = 64 * 1024;

  /** The version every emulated tor reports: stock tor's, marked as FlashFlow-capable. */
  public static final String VERSION = "0.4.9.11-flashflow-testnet";

  private final String name;
  private final EventLoop loop;
  private final ControlAuth auth;
  private final Directory directory;
  private final Set<ControlSession> sessions = new LinkedHashSet<>();
  private Extensions extensions = (k, a, s) -> false;
  private Channel server;

  /**
   * @param name for logs, e.g. {@code coordinator tor}
   */
  public ControlPort(String name, EventLoop loop, ControlAuth auth, Directory directory) {
    this.name = name;
    this.loop = loop;
    this.auth = auth;
    this.directory = directory;
  }

  /** Installs the tor's FlashFlow commands; before {@link #bind}. */
  public void setExtensions(Extensions extensions) {
    this.extensions = extensions;
  }

  /**
   * Listens on {@code address}; blocks until bound. Not on the event loop.
   *
   * @return the bound port
   */
  public int bind(InetSocketAddress address) throws IOException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loop, loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("lines", new LineBasedFrameDecoder(MAX_LINE))
                        .addLast("text", new StringDecoder(StandardCharsets.ISO_8859_1))
                        .addLast("session", new ControlSession(ControlPort.this, ch));
                  }
                });
    try {
      server = b.bind(address).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + name + " control port", e);
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot listen for " + name + " control connections on " + address + ": " + e, e);
    }
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    log.info(
        "{}: control port listening on {}", name, HostPort.format(address.getHostString(), port));
    return port;
  }

  /** Closes the listener and every session. */
  public void close() {
    if (server != null) {
      server.close();
    }
    loop.execute(() -> List.copyOf(sessions).forEach(ControlSession::close));
  }

  /**
   * Sends {@code line} (without CRLF) to every session subscribed to {@code event}. On the loop.
   */
  public void emit(String event, String line) {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException("emit off the event loop of " + name);
    }
    log.debug("{}: {}", name, line);
    for (ControlSession s : sessions) {
      if (s.subscribed(event)) {
        s.send(line);
      }
    }
  }

  /**
   * Announces the consensus as tor does when it takes a new one: a {@code 650+NEWCONSENSUS} event
   * with every relay's router status entry, then {@code .} and {@code 650 OK}, to the sessions that
   * subscribed to NEWCONSENSUS. Any thread.
   */
  public void announceConsensus() {
    loop.execute(
        () -> {
          StringBuilder sb = new StringBuilder("650+NEWCONSENSUS\r\n");
          for (RelayEntry r : directory.relays()) {
            sb.append(RouterStatusFormat.entry(directory, r));
          }
          emit("NEWCONSENSUS", sb.append(".\r\n650 OK").toString());
        });
  }

  String name() {
    return name;
  }

  ControlAuth auth() {
    return auth;
  }

  Directory directory() {
    return directory;
  }

  Extensions extensions() {
    return extensions;
  }

  void opened(ControlSession s) {
    sessions.add(s);
  }

  void closed(ControlSession s) {
    sessions.remove(s);
  }
}
