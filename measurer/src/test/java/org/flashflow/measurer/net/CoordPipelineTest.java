package org.flashflow.measurer.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.measurer.CoordLink;
import org.flashflow.measurer.CoordListener;
import org.flashflow.proto.Failure;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.junit.jupiter.api.Test;

/** The pipeline after TLS: framing, decoding, and what reaches the core, without sockets. */
class CoordPipelineTest {
  private final List<String> seen = new ArrayList<>();
  private final List<Message> messages = new ArrayList<>();
  private CoordLink link;

  private final CoordListener listener =
      new CoordListener() {
        @Override
        public void coordConnected(CoordLink l) {
          link = l;
          seen.add("connected");
        }

        @Override
        public void coordDisconnected(CoordLink l) {
          seen.add("disconnected");
        }

        @Override
        public void coordMessage(CoordLink l, Message m) {
          messages.add(m);
        }
      };

  private EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    CoordClient.addCodecAndHandler(ch.pipeline(), listener, "coord.test:1", () -> {});
    ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    return ch;
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test
  void objectsSplitAcrossReadsAndSeveralInOneRead() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(bytes("{\"msg_type\": 1089, \"me"));
    ch.writeInbound(
        bytes("as_id\": 1}{\"msg_type\": 1089, \"meas_id\": 2}\n {\"msg_type\": 1089,"));
    ch.writeInbound(bytes(" \"meas_id\": 3}"));

    assertEquals(List.of(new Go(1), new Go(2), new Go(3)), messages);
    assertEquals(List.of("connected"), seen);
  }

  @Test
  void aBadObjectClosesAndNothingAfterItCounts() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(
        bytes(
            "{\"msg_type\": 1089, \"meas_id\": 1}{\"msg_type\": 4242}"
                + "{\"msg_type\": 1089, \"meas_id\": 2}"));

    assertEquals(List.of(new Go(1)), messages);
    assertFalse(ch.isOpen());
    assertEquals(List.of("connected", "disconnected"), seen);
  }

  @Test
  void sentMessagesAreOneJsonObjectAndANewline() {
    EmbeddedChannel ch = channel();
    link.send(new Failure(3, OptionalLong.of(7), Optional.of("dupe")));

    ByteBuf out = ch.readOutbound();
    String text = out.toString(StandardCharsets.UTF_8);
    out.release();
    assertEquals("{\"msg_type\":62424,\"code\":3,\"meas_id\":7,\"extra_info\":\"dupe\"}\n", text);
  }
}
