package org.flashflow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every getter with good and bad values; errors must name section, key, value and expectation. */
class ConfigGettersTest {
  private static Object get(String getter, String value) throws ConfigException {
    Config c = Config.parse("[sec]\nkey = " + value + "\n", "t.ini");
    return switch (getter) {
      case "string" -> c.string("sec", "key");
      case "optionalString" -> c.optionalString("sec", "key");
      case "integer" -> c.integer("sec", "key");
      case "integer1to10" -> c.integer("sec", "key", 1, 10);
      case "longValue" -> c.longValue("sec", "key");
      case "decimal" -> c.decimal("sec", "key");
      case "fraction" -> c.fraction("sec", "key");
      case "bool" -> c.bool("sec", "key");
      case "duration" -> c.duration("sec", "key");
      case "optionalDuration" -> c.optionalDuration("sec", "key");
      case "address" -> c.address("sec", "key");
      case "optionalAddress" -> c.optionalAddress("sec", "key");
      case "path" -> c.path("sec", "key");
      case "byteRate" -> c.byteRate("sec", "key");
      case "lines" -> c.lines("sec", "key");
      default -> throw new AssertionError(getter);
    };
  }

  @ParameterizedTest(name = "{0}({1}) = {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "string | hello world | hello world",
        "optionalString | x | Optional[x]",
        "optionalString | `` | Optional.empty",
        "integer | 160 | 160",
        "integer | -3 | -3",
        "integer | +7 | 7",
        "integer1to10 | 10 | 10",
        "longValue | 604800 | 604800",
        "longValue | 9223372036854775807 | 9223372036854775807",
        "decimal | 2.25 | 2.25",
        "decimal | 3 | 3.0",
        "decimal | .5 | 0.5",
        "decimal | 1e3 | 1000.0",
        "fraction | 0 | 0.0",
        "fraction | 0.25 | 0.25",
        "fraction | 0.99 | 0.99",
        "bool | true | true",
        "bool | YES | true",
        "bool | on | true",
        "bool | 1 | true",
        "bool | False | false",
        "bool | no | false",
        "bool | off | false",
        "bool | 0 | false",
        "duration | 120 | PT2M",
        "duration | 30 s | PT30S",
        "duration | 500 ms | PT0.5S",
        "duration | 2 min | PT2M",
        "duration | 1 h | PT1H",
        "duration | 1 hour | PT1H",
        "duration | 1 day | PT24H",
        "duration | 1 week | PT168H",
        "duration | 1.5h | PT1H30M",
        "duration | 0 | PT0S",
        "optionalDuration | `` | Optional.empty",
        "optionalDuration | 5 | Optional[PT5S]",
        "address | localhost:12935 | localhost:12935",
        "address | 127.0.0.1:0 | 127.0.0.1:0",
        "address | [::1]:0 | [::1]:0",
        "address | [2001:db8::7]:65535 | [2001:db8::7]:65535",
        "optionalAddress | `` | Optional.empty",
        "optionalAddress | a.example:1 | Optional[a.example:1]",
        "path | data-coord/keys | data-coord/keys",
        "path | /abs/x | /abs/x",
        "path | ~user/x | ~user/x",
        "byteRate | 1000 | 1000",
        "byteRate | 125 MB/s | 125000000",
        "byteRate | 1 Gbit/s | 125000000",
        "byteRate | 50 Mbit/s | 6250000",
        "byteRate | 10 KiB/s | 10240",
        "byteRate | 1 GB/s | 1000000000",
        "byteRate | 100 kbit/s | 12500",
        "byteRate | 1 Gbps | 125000000",
        "byteRate | 8 bps | 1",
        "byteRate | 2 KBps | 2000",
        "byteRate | 3 bytes/s | 3",
        "byteRate | 2 kbits | 250",
        "byteRate | 100 /s | 100",
        "byteRate | 1.5 MiB/s | 1572864",
        "byteRate | 13 bit/s | 1",
        "lines | a | [a]",
      })
  void goodValues(String getter, String value, String expected) throws Exception {
    assertEquals(expected, String.valueOf(get(getter, value)));
  }

  @ParameterizedTest(name = "{0}({1})")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "integer | 1.5 | an integer",
        "integer | `` | an integer",
        "integer | 3000000000 | an integer from -2147483648 to 2147483647",
        "integer1to10 | 0 | an integer from 1 to 10",
        "integer1to10 | 11 | an integer from 1 to 10",
        "longValue | 1 000 | an integer",
        "decimal | 1,5 | a decimal number such as 2.25",
        "decimal | NaN | a decimal number such as 2.25",
        "decimal | 1d | a decimal number such as 2.25",
        "fraction | 1 | a fraction from 0 to below 1, such as 0.25",
        "fraction | -0.1 | a fraction from 0 to below 1, such as 0.25",
        "fraction | 25% | a decimal number such as 2.25",
        "bool | maybe | true or false (also yes/no, on/off, 1/0)",
        "duration | 5 parsecs | " + Durations.EXPECTED,
        "duration | -1 | " + Durations.EXPECTED,
        "duration | `` | " + Durations.EXPECTED,
        "duration | 1 month | " + Durations.EXPECTED,
        "optionalDuration | x | " + Durations.EXPECTED,
        "address | localhost:99999 | " + HostPort.EXPECTED,
        "address | localhost:123456 | " + HostPort.EXPECTED,
        "address | localhost | " + HostPort.EXPECTED,
        "address | :12935 | " + HostPort.EXPECTED,
        "address | ::1:80 | " + HostPort.EXPECTED,
        "address | [::1] | " + HostPort.EXPECTED,
        "address | host:-1 | " + HostPort.EXPECTED,
        "path | `` | a file system path, not an empty value",
        "path | a\0b | a file system path (Nul character not allowed)",
        "byteRate | 0 | " + ByteRates.EXPECTED,
        "byteRate | 1 bit/s | " + ByteRates.EXPECTED,
        "byteRate | 1 Mb/s | " + ByteRates.EXPECTED,
        "byteRate | fast | " + ByteRates.EXPECTED,
        "byteRate | -5 MB/s | " + ByteRates.EXPECTED,
        "byteRate | 1 mB/s | " + ByteRates.EXPECTED,
        "byteRate | 1 Gbps/s | " + ByteRates.EXPECTED,
        "byteRate | 1 MB/h | " + ByteRates.EXPECTED,
        "byteRate | 99999999 TB/s | " + ByteRates.EXPECTED,
      })
  void badValues(String getter, String value, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> get(getter, value));
    assertEquals("[sec] key = \"" + value + "\": expected " + expected, e.getMessage());
  }

  @Test
  void tildeExpandsToTheHomeDirectory() throws Exception {
    Path home = Path.of(System.getProperty("user.home"));
    Config c = Config.parse("[coord]\ndatadir = ~/ff\n[tor]\ntor_bin = ~\n", "t.ini");
    assertEquals(home.resolve("ff"), c.path("coord", "datadir"));
    assertEquals(home.resolve("ff/keys/coord.pem"), c.path("coord", "key"));
    assertEquals(home, c.path("tor", "tor_bin"));
  }

  @Test
  void relativePathsStayRelative() throws Exception {
    Path p = Config.defaults().path("coord", "results_log");
    assertEquals(Path.of("data-coord", "results", "results.log"), p);
    assertEquals(false, p.isAbsolute());
  }

  @Test
  void optionalPathIsEmptyForAnEmptyValue() throws Exception {
    Config c = Config.defaults();
    assertEquals(Optional.empty(), c.optionalPath("tor", "cookie_file"));
    assertEquals(Optional.of(Path.of("tor")), c.optionalPath("tor", "tor_bin"));
  }

  @Test
  void gettersReadInterpolatedValues() throws Exception {
    Config c = Config.parse("[x]\nport = 99\n[coord]\nctrl_addr = [::1]:${x:port}\n", "t.ini");
    assertEquals(new HostPort("::1", 99), c.address("coord", "ctrl_addr"));
    assertEquals(Duration.ofSeconds(99), c.duration("x", "port"));
  }

  @Test
  void badValueUsesTheOneFormat() {
    assertEquals(
        "[coord] listen_addr = \"localhost:99999\": expected host:port with a port from 0 to 65535",
        ConfigException.badValue(
                "coord", "listen_addr", "localhost:99999", "host:port with a port from 0 to 65535")
            .getMessage());
  }
}
