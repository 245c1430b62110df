package org.flashflow.proto.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.flashflow.proto.MessageCodec;
import org.flashflow.proto.ProtocolException;

/**
 * One framed JSON object to one {@link org.flashflow.proto.Message}. A malformed object is a {@link
 * CorruptedFrameException} for the last handler to log and close on; everything after it on the
 * same connection is dropped, so no message that followed garbage reaches the core.
 */
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  private boolean corrupted;

  public MessageDecoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    if (corrupted) {
      return;
    }
    int len = frame.readableBytes();
    byte[] bytes;
    int off;
    if (frame.hasArray()) {
      bytes = frame.array();
      off = frame.arrayOffset() + frame.readerIndex();
    } else {
      bytes = ByteBufUtil.getBytes(frame);
      off = 0;
    }
    try {
      out.add(MessageCodec.decode(bytes, off, len));
    } catch (ProtocolException e) {
      corrupted = true;
      throw new CorruptedFrameException("bad message: " + e.getMessage(), e);
    }
  }
}
