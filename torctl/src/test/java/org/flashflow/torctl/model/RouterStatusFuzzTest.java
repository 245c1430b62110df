package org.flashflow.torctl.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any router status text (a consensus, {@code GETINFO ns/...}): read, or refused with an {@link
 * IllegalArgumentException}. Seeds: RouterStatusFuzzTestInputs (stock tor's consensus and ns).
 */
class RouterStatusFuzzTest {
  @FuzzTest
  void parsesOrRefuses(byte[] data) {
    try {
      assertNotNull(RouterStatusParser.parse(new String(data, UTF_8)));
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
    }
  }
}
