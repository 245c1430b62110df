package org.flashflow.proto.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.json.JsonObjectDecoder;
import org.flashflow.proto.MessageCodec;

/**
 * The measurer protocol's framing and codec stages (docs/protocol.md section 2), the same on both
 * ends: split the byte stream into JSON objects, decode each to a typed message, encode typed
 * messages as one object plus {@code \n}.
 */
public final class MessageFraming {
  /** Splits the byte stream into JSON objects. */
  public static final String JSON_FRAMER = "json-framer";

  /** One JSON object to one typed message. */
  public static final String MESSAGE_DECODER = "message-decoder";

  /** A typed message to JSON plus newline. */
  public static final String MESSAGE_ENCODER = "message-encoder";

  /**
   * The framer's limit. {@link JsonObjectDecoder} applies its limit to everything buffered, not to
   * one object, so with the protocol's 64 KiB there a burst of small, valid messages in one read
   * would close the connection. The framer therefore only bounds memory per connection; the 64 KiB
   * object limit is {@link MessageCodec}'s, which refuses a larger object just the same.
   */
  public static final int FRAMER_BUFFER_BYTES = 16 * MessageCodec.MAX_OBJECT_BYTES;

  private MessageFraming() {}

  /** Appends the framer, decoder and encoder to {@code p} (after TLS, before the handler). */
  public static void addTo(ChannelPipeline p) {
    p.addLast(JSON_FRAMER, new JsonObjectDecoder(FRAMER_BUFFER_BYTES));
    p.addLast(MESSAGE_DECODER, new MessageDecoder());
    p.addLast(MESSAGE_ENCODER, MessageEncoder.INSTANCE);
  }
}
