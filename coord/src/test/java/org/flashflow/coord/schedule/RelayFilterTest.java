package org.flashflow.coord.schedule;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayFilterTest {
  private static final String A = "A".repeat(40);
  private static final String B = "B".repeat(40);
  private static final String C = "C".repeat(40);

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // list (\n between lines) | accepted of A B C
        "``                                    | A B C",
        "# only a comment\\n\\n   \\n           | A B C",
        "-" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "                | B C",
        "!" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + " # lower case too | B C",
        "+" + "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" + "                | B",
        "$"
            + "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
            + "\\n+ $CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC | B C",
        "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\\n-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB | ``",
      })
  void acceptsAsDocumented(String list, String accepted) {
    RelayFilter f = RelayFilter.parse(list.replace("\\n", "\n"), "test");
    String got = String.join(" ", f.filter(List.of(A, B, C))).replace(A, "A").replace(B, "B");
    assertEquals(accepted, got.replace(C, "C"));
  }

  @ParameterizedTest(name = "[{index}] line {1}: {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "AAAA | 1",
        "# fine\\n+" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + " | 2", // 41 digits
        "\\n\\n" + "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG" + " | 3",
        "+- " + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + " | 1",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA BBBB | 1",
      })
  void malformedLineIsNamed(String list, int line) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RelayFilter.parse(list.replace("\\n", "\n"), "filter.txt"));
    assertTrue(e.getMessage().startsWith("filter.txt line " + line + ": "), e.getMessage());
  }

  @Test
  void loadsAFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("relays.txt");
    Files.writeString(file, "# opt-in list\n+" + A + "\n", UTF_8);
    RelayFilter f = RelayFilter.load(file);
    assertTrue(f.isOptIn());
    assertTrue(f.accepts(A));
    assertFalse(f.accepts(B));
    Path missing = dir.resolve("nope.txt");
    assertEquals(
        "relay filter list " + missing + " does not exist",
        assertThrows(IllegalArgumentException.class, () -> RelayFilter.load(missing)).getMessage());
    assertTrue(RelayFilter.all().accepts(C));
    assertFalse(RelayFilter.all().isOptIn());
  }
}
