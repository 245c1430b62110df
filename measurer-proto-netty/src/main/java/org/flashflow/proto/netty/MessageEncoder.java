package org.flashflow.proto.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;

/** A {@link Message} to its JSON object followed by {@code \n} (docs/protocol.md section 2). */
@Sharable
public final class MessageEncoder extends MessageToByteEncoder<Message> {
  /** Stateless, so one instance serves every pipeline. */
  public static final MessageEncoder INSTANCE = new MessageEncoder();

  private MessageEncoder() {
    super(Message.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    out.writeBytes(MessageCodec.encode(msg));
    out.writeByte('\n');
  }
}
