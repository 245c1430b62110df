package org.flashflow.measurer.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;

/**
 * A {@link Message} to its JSON object followed by {@code \n} (protocol.md section 2). The same as
 * the coordinator's, which is package-private there; both are a few lines over {@link
 * MessageCodec}, so the measurer keeps its own rather than reaching into the coordinator.
 */
@Sharable
final class MessageEncoder extends MessageToByteEncoder<Message> {
  MessageEncoder() {
    super(Message.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    out.writeBytes(MessageCodec.encode(msg));
    out.writeByte('\n');
  }
}
