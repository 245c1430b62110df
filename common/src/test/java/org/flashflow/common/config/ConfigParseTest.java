package org.flashflow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParseTest {
  private static Config parse(String text) throws ConfigException {
    return Config.parse(text, "test.ini");
  }

  private static String error(String text) {
    return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
  }

  @Test
  void bothDelimitersCommentsAndCaseInsensitiveKeys() throws Exception {
    Config c =
        parse(
            """
            # comment
            ; another
            [coord]
              # indented comment
            DataDir = /srv/ff
            listen_addr: 0.0.0.0:1234
            ctrl_addr=localhost:1
            """);
    assertEquals("/srv/ff", c.string("coord", "datadir"));
    assertEquals("0.0.0.0:1234", c.string("coord", "listen_addr"));
    assertEquals("localhost:1", c.string("coord", "ctrl_addr"));
    assertTrue(c.warnings().isEmpty(), c.warnings().toString());
  }

  @Test
  void firstDelimiterSplitsSoValuesMayHoldColonsAndEquals() throws Exception {
    Config c = parse("[tor]\ncontrol_password = a:b=c\ncontrol_addr: [::1]:9051\n");
    assertEquals("a:b=c", c.string("tor", "control_password"));
    assertEquals(new HostPort("::1", 9051), c.address("tor", "control_addr"));
  }

  @Test
  void noInlineCommentsAsInConfigparser() throws Exception {
    Config c = parse("[schedule]\nslot = 60 # seconds\n");
    assertEquals("60 # seconds", c.string("schedule", "slot"));
    String msg =
        assertThrows(ConfigException.class, () -> c.duration("schedule", "slot")).getMessage();
    assertTrue(msg.startsWith("[schedule] slot = \"60 # seconds\": expected a duration"), msg);
  }

  @Test
  void continuationLinesMakeOneMultiLineValue() throws Exception {
    Config c =
        parse(
            """
            [tor]
            torrc_extra_lines =
                Log notice stdout

                # a comment inside
                SafeLogging 0
            tor_bin = /usr/bin/tor
            """);
    assertEquals("Log notice stdout\n\nSafeLogging 0", c.string("tor", "torrc_extra_lines"));
    assertEquals(
        List.of("Log notice stdout", "SafeLogging 0"), c.lines("tor", "torrc_extra_lines"));
    assertEquals("/usr/bin/tor", c.string("tor", "tor_bin"));
  }

  @Test
  void continuationAfterValueOnTheKeyLine() throws Exception {
    Config c = parse("[tor]\ntorrc_extra_lines = A 1\n  B 2\n\n");
    assertEquals(List.of("A 1", "B 2"), c.lines("tor", "torrc_extra_lines"));
    assertEquals(List.of(), Config.defaults().lines("tor", "torrc_extra_lines"));
  }

  @Test
  void byteOrderMarkIsIgnored() throws Exception {
    assertEquals("x", parse("\uFEFF[coord]\ndatadir = x\n").string("coord", "datadir"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[coord]\\ndatadir = a\\nDATADIR = b | test.ini:3: duplicate key datadir in [coord] (first on line 2)",
        "[coord]\\n[v3bw]\\n[coord] | test.ini:3: duplicate section [coord] (first on line 1)",
        "datadir = a | test.ini:1: key datadir before the first [section]",
        "[coord]\\njust words | test.ini:2: expected key = value, [section] or a comment, got just words",
        "[coord]\\n= value | test.ini:2: missing key before =",
        "[coord | test.ini:1: expected [section], got [coord",
        "[ ] | test.ini:1: empty section name",
      })
  void syntaxErrorsNameFileAndLine(String text, String expected) {
    assertEquals(expected, error(text.replace("\\n", "\n")));
  }

  @Test
  void unknownSectionsAndKeysAreWarningsNotErrors() throws Exception {
    Config c =
        parse("[coord]\nlisen_addr = localhost:1\n[cord]\nx = 1\n[measurers]\nalice = 1 Gbit/s\n");
    assertEquals(
        List.of("unknown key [coord] lisen_addr (a typo?)", "unknown section [cord] (a typo?)"),
        c.warnings());
    assertEquals("localhost:12934", c.string("coord", "listen_addr"));
    assertEquals("1", c.string("cord", "x"));
    c.logWarnings();
  }

  @Test
  void measurersIsFreeFormAndKeepsFileOrder() throws Exception {
    Config c = parse("[measurers]\nbob = 50 Mbit/s\nalice = 1 Gbit/s\n");
    assertTrue(c.warnings().isEmpty());
    assertEquals(Map.of("bob", "50 Mbit/s", "alice", "1 Gbit/s"), c.section("measurers"));
    assertEquals(List.of("bob", "alice"), List.copyOf(c.section("measurers").keySet()));
    assertEquals(Map.of(), Config.defaults().section("measurers"));
    assertEquals(Map.of(), Config.defaults().section("nosuch"));
  }

  @Test
  void isSetTellsFileValuesFromDefaults() throws Exception {
    Config c = parse("[coord]\ndatadir = x\n");
    assertTrue(c.isSet("coord", "datadir"));
    assertFalse(c.isSet("coord", "keydir"));
  }

  @Test
  void missingKeyWithoutDefaultIsAnError() throws Exception {
    String msg =
        assertThrows(ConfigException.class, () -> Config.defaults().string("measurers", "carol"))
            .getMessage();
    assertEquals("[measurers] carol is not set in (defaults) and has no default", msg);
  }

  @Test
  void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("coord.ini");
    Files.writeString(file, "[coord]\ndatadir = d\n[coord]\n");
    String msg = assertThrows(ConfigException.class, () -> Config.load(file)).getMessage();
    assertEquals(file + ":3: duplicate section [coord] (first on line 1)", msg);

    Files.writeString(file, "[coord]\ndatadir = d\n");
    Config c = Config.load(file);
    assertEquals("d/keys/coord.pem", c.string("coord", "key"));
    assertEquals(file.toString(), c.source());
  }

  @Test
  void loadOfAMissingFileSaysSo(@TempDir Path dir) {
    Path file = dir.resolve("nope.ini");
    String msg = assertThrows(ConfigException.class, () -> Config.load(file)).getMessage();
    assertEquals("config file " + file + " not found", msg);
  }
}
