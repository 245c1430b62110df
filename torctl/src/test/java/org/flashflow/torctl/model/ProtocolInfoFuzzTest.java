package org.flashflow.torctl.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any {@code PROTOCOLINFO} reply, one line per line of the input: read, or refused with an {@link
 * IllegalArgumentException}. Seeds: ProtocolInfoFuzzTestInputs (stock tor's replies).
 */
class ProtocolInfoFuzzTest {
  @FuzzTest
  void parsesOrRefuses(byte[] data) {
    try {
      assertNotNull(ProtocolInfo.parse(new String(data, UTF_8).lines().toList()));
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
    }
  }
}
