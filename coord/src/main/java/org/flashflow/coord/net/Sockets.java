package org.flashflow.coord.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.config.HostPort;

/** Binding and naming sockets in the words an operator reads in a log or an error message. */
public final class Sockets {
  private static final long BIND_TIMEOUT_SECONDS = 30;

  private Sockets() {}

  /**
   * Binds {@code bootstrap} to {@code address}, waiting for the outcome; must not be called on an
   * event loop.
   *
   * @param what what listens there, for the error message ("measurers", "control connections")
   * @throws IOException "cannot listen for {what} on {address}: {reason}"
   */
  public static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address, String what)
      throws IOException {
    ChannelFuture f = bootstrap.bind(address);
    boolean done;
    try {
      done = f.await(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.channel().close();
      throw new IOException("interrupted while binding " + HostPort.format(address), e);
    }
    String prefix = "cannot listen for " + what + " on " + HostPort.format(address) + ": ";
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
