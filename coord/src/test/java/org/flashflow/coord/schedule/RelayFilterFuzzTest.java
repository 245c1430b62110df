package org.flashflow.coord.schedule;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any relay filter list: {@link RelayFilter#parse} refuses it with an {@link
 * IllegalArgumentException} naming the file, or returns a filter. Seeds: RelayFilterFuzzTestInputs.
 */
class RelayFilterFuzzTest {
  @FuzzTest
  void parsesOrRefuses(byte[] data) {
    RelayFilter f;
    try {
      f = RelayFilter.parse(new String(data, UTF_8), "filter.txt");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("filter.txt"), e.getMessage());
      return;
    }
    assertNotNull(f.toString());
    f.accepts("0123456789ABCDEF0123456789ABCDEF01234567");
  }
}
