package org.flashflow.proto.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import org.flashflow.proto.Message;

/**
 * A byte stream from a peer, cut into reads of any sizes, through the framer and decoder: the only
 * exceptions are the framer's and decoder's (a corrupt or over-long frame, on which the handler
 * closes), every buffer is released, and the messages that came out, sent back through the encoder
 * and read by a fresh pipeline, are the same messages. Seeds: MessageFramingFuzzTestInputs.
 */
class MessageFramingFuzzTest {
  @FuzzTest
  void framesDecodeOrFailCleanly(FuzzedDataProvider data) {
    EmbeddedChannel in = new EmbeddedChannel();
    MessageFraming.addTo(in.pipeline());
    List<Throwable> errors = new ArrayList<>();
    in.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause); // as the real last handler: log and close
                ctx.close();
              }
            });
    List<Message> received = new ArrayList<>();
    while (data.remainingBytes() > 0 && in.isOpen()) {
      int n = data.consumeInt(1, 4096);
      in.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(n)));
    }
    drain(in, received);
    in.finishAndReleaseAll();
    for (Throwable e : errors) {
      if (!(e instanceof CorruptedFrameException || e instanceof TooLongFrameException)) {
        throw new AssertionError("unexpected exception from the pipeline", e);
      }
    }
    if (received.isEmpty()) {
      return;
    }
    EmbeddedChannel out = new EmbeddedChannel();
    MessageFraming.addTo(out.pipeline());
    for (Message m : received) {
      assertTrue(out.writeOutbound(m));
    }
    EmbeddedChannel back = new EmbeddedChannel();
    MessageFraming.addTo(back.pipeline());
    for (ByteBuf b = out.readOutbound(); b != null; b = out.readOutbound()) {
      back.writeInbound(b);
    }
    List<Message> again = new ArrayList<>();
    drain(back, again);
    out.finishAndReleaseAll();
    back.finishAndReleaseAll();
    assertEquals(received, again);
  }

  private static void drain(EmbeddedChannel ch, List<Message> into) {
    for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
      into.add((Message) o);
    }
  }
}
