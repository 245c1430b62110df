package org.flashflow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The standalone unit parsers that the CLI and tests reuse. */
class UnitsTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0 s",
    "45, 45 s",
    "90, 90 s",
    "120, 2 min",
    "3600, 1 h",
    "86400, 1 day",
    "172800, 2 days",
    "604800, 1 week",
    "1209600, 2 weeks",
  })
  void durationFormatReadsBack(long seconds, String text) {
    Duration d = Duration.ofSeconds(seconds);
    assertEquals(text, Durations.format(d));
    assertEquals(d, Durations.parse(text));
  }

  @Test
  void durationFormatOfMilliseconds() {
    assertEquals("1500 ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1500 ms"));
  }

  @Test
  void durationParseFailsWithTheExpectation() {
    assertEquals(
        Durations.EXPECTED,
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999 weeks"));
  }

  @Test
  void byteRateFormat() {
    assertEquals("125.00 MB/s (1.00 Gbit/s)", ByteRates.format(125_000_000));
    assertEquals("100 B/s (800 bit/s)", ByteRates.format(100));
    assertEquals(125_000_000L, ByteRates.parse(" 1 Gbit/s "));
  }

  @Test
  void hostPortBracketsIpv6AndMakesSocketAddresses() {
    HostPort v6 = HostPort.parse("[::1]:0");
    assertEquals(new HostPort("::1", 0), v6);
    assertEquals("[::1]:0", v6.toString());
    assertEquals(HostPort.parse("[fe80::1%eth0]:80").host(), "fe80::1%eth0");

    HostPort local = HostPort.parse("localhost:12935");
    InetSocketAddress unresolved = local.toUnresolved();
    assertEquals(true, unresolved.isUnresolved());
    assertEquals("localhost", unresolved.getHostString());
    assertEquals(12935, unresolved.getPort());

    InetSocketAddress resolved = HostPort.parse("127.0.0.1:9").toSocketAddress();
    assertEquals(false, resolved.isUnresolved());
    assertEquals(9, resolved.getPort());
  }

  @Test
  void hostPortRecordChecksItsFields() {
    assertThrows(IllegalArgumentException.class, () -> new HostPort("", 1));
    assertThrows(IllegalArgumentException.class, () -> new HostPort("h", 65536));
    assertThrows(IllegalArgumentException.class, () -> new HostPort("h", -1));
  }
}
