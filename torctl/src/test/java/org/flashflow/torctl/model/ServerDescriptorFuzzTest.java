package org.flashflow.torctl.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any server descriptor text ({@code GETINFO desc/id/...}): read, or refused with an {@link
 * IllegalArgumentException}. Seeds: ServerDescriptorFuzzTestInputs (stock tor's descriptor).
 */
class ServerDescriptorFuzzTest {
  @FuzzTest
  void parsesOrRefuses(byte[] data) {
    try {
      assertNotNull(ServerDescriptorParser.parse(new String(data, UTF_8)));
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
    }
  }
}
