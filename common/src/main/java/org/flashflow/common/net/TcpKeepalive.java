package org.flashflow.common.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/**
 * How a long-lived TCP connection notices a peer that went silent (power loss, partition, a
 * firewall that forgot the flow): kernel keepalive probes after {@code idleSeconds} without
 * traffic, every {@code intervalSeconds}, and the connection fails after {@code probes} unanswered
 * ones. Where the native epoll transport is used, TCP_USER_TIMEOUT is set to the same total, so
 * that data sent and never acknowledged fails the connection as quickly (keepalive probes are not
 * sent while data waits for an acknowledgement). docs/protocol.md section 10.
 */
public record TcpKeepalive(int idleSeconds, int intervalSeconds, int probes) {
  /** Idle 20 s, then 4 probes 5 s apart: a silent peer is given up after 40 s. */
  public static final TcpKeepalive DEFAULT = new TcpKeepalive(20, 5, 4);

  public TcpKeepalive {
    if (idleSeconds < 1 || intervalSeconds < 1 || probes < 1) {
      throw new IllegalArgumentException(
          "keepalive idle, interval and probes must be at least 1: idle "
              + idleSeconds
              + " s, interval "
              + intervalSeconds
              + " s, probes "
              + probes);
    }
  }

  /** How long a silent peer keeps the connection: idle + interval * probes. */
  public Duration giveUpAfter() {
    return Duration.ofSeconds(idleSeconds + (long) intervalSeconds * probes);
  }

  /** For a client connection of a bootstrap whose group is {@code group}. */
  public Bootstrap applyTo(Bootstrap b, EventLoopGroup group) {
    b.option(ChannelOption.SO_KEEPALIVE, true);
    if (Transport.isEpoll(group)) {
      b.option(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
          .option(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds)
          .option(EpollChannelOption.TCP_KEEPCNT, probes)
          .option(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis());
    } else {
      b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
          .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds)
          .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), probes);
    }
    return b;
  }

  /** For every connection a server accepts, whose child group is {@code group}. */
  public ServerBootstrap applyToChildren(ServerBootstrap b, EventLoopGroup group) {
    b.childOption(ChannelOption.SO_KEEPALIVE, true);
    if (Transport.isEpoll(group)) {
      b.childOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
          .childOption(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds)
          .childOption(EpollChannelOption.TCP_KEEPCNT, probes)
          .childOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis());
    } else {
      b.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
          .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds)
          .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), probes);
    }
    return b;
  }

  /**
   * For a plain socket (the tor control connection). The JDK cannot set TCP_USER_TIMEOUT; there,
   * the tor command timeout ends a connection whose reply does not come.
   *
   * @throws IOException if the platform refuses the options
   */
  public void applyTo(Socket s) throws IOException {
    s.setKeepAlive(true);
    if (s.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
      s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds);
      s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, intervalSeconds);
      s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, probes);
    }
  }

  private int userTimeoutMillis() {
    return Math.toIntExact(giveUpAfter().toMillis());
  }
}
