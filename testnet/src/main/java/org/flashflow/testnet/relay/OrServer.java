package org.flashflow.testnet.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.flashflow.testnet.Behaviour;

/**
 * A relay's OR port: TLS, then {@link EchoHandler}. A {@link Behaviour#NEVER_BUILDS} relay accepts
 * the TCP connection but never answers the TLS handshake, so a measurer's circuit times out, as a
 * circuit through a black-holing relay does.
 */
public final class OrServer {
  /** Small buffers keep the bytes in flight, and so the measured rate, the relay's own. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

  private final EmulatedRelay relay;
  private final SslContext tls;
  private final EventLoop loop;
  private Channel server;

  public OrServer(EmulatedRelay relay, SslContext tls, EventLoop loop) {
    this.relay = relay;
    this.tls = tls;
    this.loop = loop;
  }

  /** Binds and returns the port; blocks, not on the loop. */
  public int bind(InetSocketAddress address) throws IOException {
    boolean blackHole = relay.spec().behaviour() == Behaviour.NEVER_BUILDS;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loop, loop)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (blackHole) {
                      ch.pipeline().addLast("sink", new Sink());
                    } else {
                      ch.pipeline()
                          .addLast("tls", tls.newHandler(ch.alloc()))
                          .addLast("echo", new EchoHandler(relay));
                    }
                  }
                });
    try {
      server = b.bind(address).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding an OR port", e);
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot listen for relay " + relay.spec().nickname() + " on " + address + ": " + e, e);
    }
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /** Reads and forgets everything. */
  private static final class Sink extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
