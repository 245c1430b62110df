package org.flashflow.common.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A port on 127.0.0.1 that nobody listens on, for as long as this is open: a TCP socket bound to it
 * that never listens. Connecting to it is refused at once, every time. A port that was free a
 * moment ago is no substitute: by the time the test connects, another test or process may listen on
 * it.
 *
 * <p>{@link #closed()} also keeps every other socket from binding the port. {@link
 * #forLaterServer()} lets a server socket bind it later (with {@code SO_REUSEADDR}, which Java and
 * Netty set by default on Linux) while this still holds it, for a test of a server that comes up
 * only after its clients started trying; the system never hands the port out to a bind to port 0
 * meanwhile.
 */
public final class ClosedPort implements AutoCloseable {
  private final Socket socket;

  private ClosedPort(boolean reuse) throws IOException {
    socket = new Socket();
    try {
      socket.setReuseAddress(reuse);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A port nobody can listen on until {@link #close()}. */
  public static ClosedPort closed() throws IOException {
    return new ClosedPort(false);
  }

  /** A port nobody listens on until a server binds it with {@code SO_REUSEADDR}. */
  public static ClosedPort forLaterServer() throws IOException {
    return new ClosedPort(true);
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code 127.0.0.1:port}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
