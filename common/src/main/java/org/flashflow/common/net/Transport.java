package org.flashflow.common.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The daemons' socket transport: Linux's native epoll where it loads, because only it can set
 * TCP_USER_TIMEOUT (see {@link TcpKeepalive}); Java NIO elsewhere. Channels are chosen to match the
 * event loop they are registered on, so code given an NIO loop (tests, benchmarks) still works.
 */
public final class Transport {
  private Transport() {}

  /** For the daemons' event loop groups: epoll if available, else NIO. */
  public static IoHandlerFactory ioHandlerFactory() {
    return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** {@code epoll} or {@code nio}, what {@link #ioHandlerFactory} picks here; for the start log. */
  public static String name() {
    return Epoll.isAvailable() ? "epoll" : "nio";
  }

  /** Whether {@code group} runs the epoll transport. */
  public static boolean isEpoll(EventLoopGroup group) {
    return group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class);
  }

  /** The server socket channel that registers on {@code group}. */
  public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
    return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client socket channel that registers on {@code group}. */
  public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
