package org.flashflow.coord.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.net.Transport;

/** Binding and naming sockets in the words an operator reads in a log or an error message. */
public final class Sockets {
  private static final long BIND_TIMEOUT_SECONDS = 30;

  private Sockets() {}

  /**
   * The server bootstrap both of the coordinator's servers use: the listening socket and every
   * accepted connection on the one {@code loop}, the transport that loop runs, {@code options} for
   * the server's own settings, {@code init} for each accepted connection. Binds and waits; must not
   * be called on the loop.
   *
   * @throws IOException "cannot listen for {what} on {address}: {reason}"
   */
  public static Channel serve(
      EventLoop loop,
      InetSocketAddress address,
      String what,
      Consumer<ServerBootstrap> options,
      Consumer<SocketChannel> init)
      throws IOException {
    if (loop.inEventLoop()) {
      throw new IllegalStateException("binding blocks; call it outside the event loop");
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loop, loop)
            .channel(Transport.serverChannel(loop))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    init.accept(ch);
                  }
                });
    options.accept(b);
    return bind(b, address, what);
  }

  /**
   * Binds {@code bootstrap} to {@code address}, waiting for the outcome; must not be called on an
   * event loop.
   *
   * @param what what listens there, for the error message ("measurers", "control connections")
   * @throws IOException "cannot listen for {what} on {address}: {reason}"
   */
  public static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address, String what)
      throws IOException {
    return bindTo(
        bootstrap, address, "cannot listen for " + what + " on " + HostPort.format(address) + ": ");
  }

  /**
   * Binds {@code bootstrap} to any kind of address (TCP, a Unix socket), waiting for the outcome;
   * must not be called on an event loop.
   *
   * @param prefix starts the message of the exception, e.g. "cannot listen for X on Y: "
   * @throws IOException {@code prefix} and the reason
   */
  public static Channel bindTo(ServerBootstrap bootstrap, SocketAddress address, String prefix)
      throws IOException {
    ChannelFuture f = bootstrap.bind(address);
    boolean done;
    try {
      done = f.await(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.channel().close();
      throw new IOException(prefix + "interrupted while binding", e);
    }
    if (!done) {
      f.channel().close();
      throw new IOException(prefix + "bind did not complete");
    }
    if (!f.isSuccess()) {
      Throwable cause = f.cause();
      String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
      throw new IOException(prefix + reason, cause);
    }
    return f.channel();
  }
}
