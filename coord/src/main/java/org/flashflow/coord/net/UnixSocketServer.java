package org.flashflow.coord.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.flashflow.common.net.Transport;

/**
 * A listening Unix domain socket at a path, with its mode and group set before any client can see
 * it, replacing a stale socket file a killed daemon left behind without a race.
 *
 * <p>How: a lock file next to the socket ({@code .<name>.lock}, held with {@code flock} for the
 * daemon's life and released by the kernel when it dies) tells a live owner from a stale file, so a
 * second daemon fails instead of stealing the socket. The socket is then bound under a random
 * temporary name in the same directory, given mode 0660 and its group, and renamed over the final
 * path: {@code rename(2)} replaces a stale socket atomically, so there is never a moment when the
 * path is missing (a client would get "no such file") or a socket with the umask's permissions
 * (anyone could connect). Plain unlink-then-bind has both windows.
 */
public final class UnixSocketServer implements AutoCloseable {

  private final Path path;
  private final Channel channel;
  private final FileChannel lockFile;
  private final Object fileKey;

  private UnixSocketServer(Path path, Channel channel, FileChannel lockFile, Object fileKey) {
    this.path = path;
    this.channel = channel;
    this.lockFile = lockFile;
    this.fileKey = fileKey;
  }

  /**
   * Binds {@code path}, with every accepted connection on {@code loop}; blocks, so not on the loop.
   *
   * @param group the socket's group; empty: the daemon's
   * @param what what listens there, for the error message
   * @throws IOException "cannot listen for {what} on {path}: {reason}"
   */
  public static UnixSocketServer serve(
      EventLoop loop,
      Path path,
      Optional<GroupPrincipal> group,
      String what,
      Consumer<ServerBootstrap> options,
      Consumer<Channel> init)
      throws IOException {
    if (loop.inEventLoop()) {
      throw new IllegalStateException("binding blocks; call it outside the event loop");
    }
    Path abs = path.toAbsolutePath();
    String prefix = "cannot listen for " + what + " on " + path + ": ";
    Path dir = abs.getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(prefix + "directory " + dir + " does not exist");
    }
    FileChannel lock = lock(dir.resolve("." + abs.getFileName() + ".lock"), prefix);
    Channel ch = null;
    Path tmp = null;
    try {
      refuseNonSocket(abs, prefix);
      tmp = dir.resolve("." + abs.getFileName() + "." + randomHex() + ".tmp");
      ServerBootstrap b =
          new ServerBootstrap()
              .group(loop, loop)
              .channel(serverChannel(loop))
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                      init.accept(c);
                    }
                  });
      options.accept(b);
      ch = Sockets.bindTo(b, address(loop, tmp), prefix);
      // By path (chmod, chown): opening a socket to change it by descriptor fails (ENXIO).
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      if (group.isPresent()) {
        view.setGroup(group.get());
      }
      view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Object key = Files.readAttributes(abs, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
      return new UnixSocketServer(abs, ch, lock, key);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
      lock.close();
      throw e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith(prefix)
          ? (IOException) e
          : new IOException(prefix + e, e);
    }
  }

  /** The listening channel. */
  public Channel channel() {
    return channel;
  }

  /** The socket's path. */
  public Path path() {
    return path;
  }

  /**
   * Removes the socket file if it is still this server's (not one a newer daemon put there), then
   * releases the lock. Call after the channel is closed.
   */
  @Override
  public void close() throws IOException {
    try {
      Object key = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
      if (Objects.equals(key, fileKey)) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException e) {
      // already gone
    } finally {
      lockFile.close();
    }
  }

  private static FileChannel lock(Path lockPath, String prefix) throws IOException {
    FileChannel ch =
        FileChannel.open(
            lockPath,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // held by this very process
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      throw new IOException(prefix + "another process holds " + lockPath + " (a running daemon?)");
    }
    return ch;
  }

  private static void refuseNonSocket(Path p, String prefix) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    int type = mode & 0170000;
    if (type != 0140000) {
      throw new IOException(prefix + "it exists and is not a socket; not replacing it");
    }
  }

  private static Class<? extends ServerChannel> serverChannel(EventLoop loop) {
    return Transport.isEpoll(loop)
        ? EpollServerDomainSocketChannel.class
        : NioServerDomainSocketChannel.class;
  }

  private static SocketAddress address(EventLoop loop, Path p) {
    return Transport.isEpoll(loop)
        ? new DomainSocketAddress(p.toString())
        : UnixDomainSocketAddress.of(p);
  }

  private static String randomHex() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }
}
