package org.flashflow.torctl.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Any line a tor control port sends: the word splitter and the KEY=VALUE reader refuse it with an
 * {@link IllegalArgumentException} or split it, and the event parser returns an event or nothing.
 * Seeds: ControlLineFuzzTestInputs (events and replies of the stock-tor samples).
 */
class ControlLineFuzzTest {
  @FuzzTest
  void splitsOrRefuses(byte[] data) {
    String line = new String(data, UTF_8);
    assertNotNull(TorEvents.parseLine(line));
    int sp = line.indexOf(' ');
    if (sp > 0) {
      assertNotNull(TorEvents.parse(line.substring(0, sp), line.substring(sp + 1)));
    }
    List<String> words;
    try {
      words = ControlLine.words(line);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      return;
    }
    for (int from = 0; from <= words.size(); from++) {
      try {
        assertNotNull(ControlLine.keyValues(words, from));
      } catch (IllegalArgumentException e) {
        assertNotNull(e.getMessage());
      }
    }
  }
}
