package org.flashflow.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes a peer sends: {@link MessageCodec#decode} either refuses them with a {@link
 * ProtocolException} or returns a message that encodes and decodes back to itself, with one
 * canonical encoding. Seeds: MessageCodecFuzzTestInputs (the golden messages of docs/protocol.md).
 */
class MessageCodecFuzzTest {
  @FuzzTest
  void decodeRefusesOrRoundTrips(byte[] data) {
    Message m;
    try {
      m = MessageCodec.decode(data);
    } catch (ProtocolException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertTrue(data.length <= MessageCodec.MAX_OBJECT_BYTES, "accepted over the limit");
    byte[] encoded = MessageCodec.encode(m);
    Message again;
    try {
      again = MessageCodec.decode(encoded);
    } catch (ProtocolException e) {
      throw new AssertionError("our own encoding of " + m + " is refused: " + e.getMessage(), e);
    }
    assertEquals(m, again);
    assertArrayEquals(encoded, MessageCodec.encode(again));
  }
}
