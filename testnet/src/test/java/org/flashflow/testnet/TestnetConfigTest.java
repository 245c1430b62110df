package org.flashflow.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.junit.jupiter.api.Test;

/** Reading testnet.ini, including the shipped example. */
class TestnetConfigTest {
  private static TestnetConfig parse(String text) throws ConfigException {
    return TestnetConfig.from(Config.parse(text, "t.ini"));
  }

  @Test
  void readsNetworkAndRelays() throws Exception {
    TestnetConfig c =
        parse(
            "[network]\ndatadir = /tmp/x\nmeasurers = alice, bob\nauth = password\npassword = pw\n"
                + "seed = s\nbg_percent = 0.2\ncircuit_timeout = 2 s\n"
                + "[relay relay1]\ncapacity = 50 Mbit/s\nbackground = 0.3\nbehaviour = never-builds\n"
                + "[relay relay2]\ncapacity = 1000000\nadvertised_avg = 500 kB/s\n");
    assertEquals(Path.of("/tmp/x"), c.datadir());
    assertEquals(List.of("alice", "bob"), c.measurers());
    assertEquals(AuthMode.PASSWORD, c.auth());
    assertEquals(0.2, c.bgPercent());
    assertEquals(Duration.ofSeconds(2), c.circuitTimeout());
    assertEquals(2, c.relays().size());
    RelaySpec r1 = c.relays().get(0);
    assertEquals(6_250_000, r1.capacity());
    assertEquals(Behaviour.NEVER_BUILDS, r1.behaviour());
    assertEquals(Fingerprints.of("s", "relay1"), r1.fingerprint());
    assertEquals(Behaviour.HONEST, c.relays().get(1).behaviour());
    assertEquals(0, r1.advertisedAvg());
    assertEquals(62_500_000, r1.descriptorAvg(), "by default 10 times the capacity");
    assertEquals(500_000, c.relays().get(1).descriptorAvg(), "advertised_avg");
    assertEquals(0, c.relays().get(1).background());
  }

  @Test
  void readsRoundTripsBurstsCpuAndWindows() throws Exception {
    TestnetConfig c =
        parse(
            "[network]\nmeasurers = alice, bob\ncircuit_window = 500\nsendme_increment = 50\n"
                + "[measurer alice]\nrtt = 40 ms\njitter = 10 ms\n"
                + "[relay far]\ncapacity = 10 MB/s\nbackground = 0.2\nrtt = 300 ms\n"
                + "jitter = 0.05\nbackground_sd = 0.1\nbackground_period = 4 s\ncpu = 5000\n"
                + "[relay near]\ncapacity = 1 MB/s\n");
    assertEquals(new FlowControl(500, 50), c.flow());
    assertEquals(
        new Latency(Duration.ofMillis(40), Duration.ofMillis(10)), c.measurerLatency("alice"));
    assertEquals(Latency.NONE, c.measurerLatency("bob"));
    RelaySpec far = c.relays().get(0);
    assertEquals(new Latency(Duration.ofMillis(300), Duration.ofMillis(50)), far.latency());
    assertEquals(0.1, far.backgroundSd());
    assertEquals(Duration.ofSeconds(4), far.backgroundPeriod());
    assertEquals(5000, far.cpuCells());
    assertEquals(5000 * 514, far.effectiveCapacity());
    RelaySpec near = c.relays().get(1);
    assertEquals(Latency.NONE, near.latency());
    assertEquals(0, near.backgroundSd());
    assertEquals(0, near.cpuCells());
    assertEquals(1_000_000, near.effectiveCapacity());
    // Defaults: tor's window.
    assertEquals(FlowControl.TOR, parse("[network]\n[relay r]\ncapacity = 1\n").flow());
  }

  @Test
  void badRoundTripsBurstsAndCpuNameSectionKeyAndValue() {
    String net = "[network]\nmeasurers = alice\n";
    String relay = "[relay r]\ncapacity = 1 MB/s\n";
    assertBad(net + relay + "rtt = -5 ms\n", "[relay r] rtt");
    assertBad(net + relay + "rtt = 10 ms\njitter = 20 ms\n", "[relay r] jitter");
    assertBad(net + relay + "background_sd = 0.1\n", "[relay r] background_sd");
    assertBad(net + relay + "background = 0.1\nbackground_sd = x\n", "[relay r] background_sd");
    assertBad(net + relay + "background_period = 0\n", "[relay r] background_period");
    assertBad(net + relay + "cpu = -1\n", "[relay r] cpu");
    assertBad(net + "[measurer carol]\nrtt = 10 ms\n" + relay, "no measurer carol");
    assertBad(net + "[measurer alice]\nrtt = lots\n" + relay, "[measurer alice] rtt");
    assertBad(net + "circuit_window = 0\n" + relay, "[network] circuit_window");
    assertBad(net + "sendme_increment = 2000\n" + relay, "[network] sendme_increment");
  }

  private static void assertBad(String text, String named) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void fingerprintsAreStableAndDistinct() {
    assertEquals(Fingerprints.of("seed", "relay1"), Fingerprints.of("seed", "relay1"));
    assertTrue(Fingerprints.of("seed", "relay1").matches("[0-9A-F]{40}"));
    assertTrue(!Fingerprints.of("seed", "relay1").equals(Fingerprints.of("seed", "relay2")));
    assertTrue(!Fingerprints.of("seed", "relay1").equals(Fingerprints.of("other", "relay1")));
  }

  @Test
  void badValuesNameSectionKeyAndValue() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> parse("[network]\n[relay r]\ncapacity = 1 MB/s\nbehaviour = sneaky\n"));
    assertTrue(e.getMessage().contains("[relay r] behaviour"), e.getMessage());
    assertTrue(e.getMessage().contains("never-builds"), e.getMessage());
    assertThrows(ConfigException.class, () -> parse("[network]\n"));
    assertThrows(ConfigException.class, () -> parse("[network]\n[relay r]\nbackground = 0.1\n"));
    assertThrows(
        ConfigException.class,
        () -> parse("[network]\nauth = password\n[relay r]\ncapacity = 1\n"));
    assertThrows(ConfigException.class, () -> parse("[network]\n[relay bad-nick]\ncapacity = 1\n"));
  }

  @Test
  void typosAreWarnings() throws Exception {
    Config c =
        Config.parse(
            "[network]\nmeasurer = a\n[relay r]\ncapacty = 1\n[relays]\n[measurer a]\nrt = 1\n",
            "t");
    assertEquals(
        List.of(
            "unknown key [network] measurer (a typo?)",
            "unknown key [relay r] capacty (a typo?)",
            "unknown section [relays] (a typo?)",
            "unknown key [measurer a] rt (a typo?)"),
        TestnetConfig.warnings(c));
  }

  @Test
  void shippedExampleLoadsWithoutWarnings() throws Exception {
    Path file = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("config/testnet.ini"))) {
        file = d.resolve("config/testnet.ini");
        break;
      }
    }
    assertTrue(file != null, "config/testnet.ini not found");
    Config c = Config.load(file);
    assertEquals(List.of(), TestnetConfig.warnings(c));
    TestnetConfig t = TestnetConfig.from(c);
    assertEquals(
        Behaviour.values().length,
        t.relays().stream().map(RelaySpec::behaviour).distinct().count());
  }
}
