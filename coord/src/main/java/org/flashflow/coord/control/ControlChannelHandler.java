package org.flashflow.coord.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import org.flashflow.common.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a control connection: hands each line to the {@link ControlCommandHandler}
 * and writes its reply. One command at a time per connection: while a reply is pending (the command
 * waits on tor, say), later lines queue and reading pauses, so replies never interleave and a
 * client cannot pile up unbounded work.
 *
 * <p>A line over the limit is answered with {@code ERR} in its turn and ends the connection, as
 * does the end of the client's input once every earlier command is answered.
 */
final class ControlChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ControlChannelHandler.class);

  /** Stands in the queue for a line that was too long. */
  private static final Object TOO_LONG = new Object();

  private final ControlCommandHandler commands;
  private final int maxLineBytes;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean busy;
  private boolean draining;
  private boolean inputClosed;
  private boolean closing;

  ControlChannelHandler(ControlCommandHandler commands, int maxLineBytes) {
    this.commands = commands;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    LOG.debug("control connection from {}", peer());
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // A reply still pending for a client that left is written nowhere; queued lines are dropped.
    closing = true;
    queue.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof String)) {
      ReferenceCountUtil.release(msg);
      LOG.error("bug: control pipeline delivered {}", msg.getClass());
      return;
    }
    if (closing) {
      return;
    }
    String line = (String) msg;
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1); // telnet sends CRLF
    }
    queue.add(line);
    drain();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    drain();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      // The framer has already passed on a last line without newline, if there was one.
      inputClosed = true;
      drain();
    } else if (evt instanceof IdleStateEvent) {
      LOG.info("closing idle control connection from {}", peer());
      closing = true;
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      if (!closing) {
        queue.add(TOO_LONG);
        drain();
      }
    } else if (cause instanceof IOException) {
      LOG.debug("control connection from {} lost: {}", peer(), cause.toString());
      closing = true;
      ctx.close();
    } else {
      LOG.warn("closing control connection from {}: {}", peer(), cause.toString());
      closing = true;
      ctx.close();
    }
  }

  /** Runs queued commands until one is pending or the queue is empty; never re-entered. */
  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      // A client that sends commands but does not read the replies: stop at the high water mark
      // (and stop reading, below) until it has read, so that its replies cannot fill our memory.
      while (!busy && !closing && ctx.channel().isWritable()) {
        Object next = queue.poll();
        if (next == null) {
          if (inputClosed) {
            closeAfterFlush();
          }
          break;
        }
        if (next == TOO_LONG) {
          LOG.warn("control connection from {} sent a line over {} bytes", peer(), maxLineBytes);
          ctx.write("ERR line too long (limit " + maxLineBytes + " bytes)\n");
          closeAfterFlush();
          break;
        }
        dispatch((String) next);
      }
    } finally {
      draining = false;
    }
    if (ctx.channel().isOpen() && !closing) {
      ctx.channel().config().setAutoRead(!busy && ctx.channel().isWritable());
    }
  }

  private void dispatch(String line) {
    busy = true;
    Reply reply = new Reply();
    LOG.debug("control command from {}: {}", peer(), line);
    try {
      commands.onLine(line, reply);
    } catch (RuntimeException e) {
      LOG.error("bug: control command \"{}\" from {} threw", line, peer(), e);
      if (!reply.sent) {
        reply.send(List.of("ERR internal error"));
      }
    }
  }

  private void closeAfterFlush() {
    closing = true;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private String peer() {
    return HostPort.format(ctx.channel().remoteAddress());
  }

  /** One command's reply; the handler moves on to the next line once it is sent. */
  private final class Reply implements ControlReply {
    private boolean sent;
    private boolean closeRequested;

    @Override
    public void send(List<String> lines) {
      if (!ctx.executor().inEventLoop()) {
        List<String> copy = List.copyOf(lines);
        ctx.executor().execute(() -> send(copy));
        return;
      }
      if (sent) {
        LOG.error("bug: second reply to one control command from {}: {}", peer(), lines);
        return;
      }
      sent = true;
      if (!closing) {
        for (String l : lines) {
          ctx.write(l + "\n");
        }
        ctx.flush();
      }
      if (closeRequested) {
        closeAfterFlush();
      }
      busy = false;
      drain();
    }

    @Override
    public void close() {
      if (!ctx.executor().inEventLoop()) {
        ctx.executor().execute(this::close);
        return;
      }
      closeRequested = true;
      if (sent && !closing) {
        closeAfterFlush();
      }
    }
  }
}
