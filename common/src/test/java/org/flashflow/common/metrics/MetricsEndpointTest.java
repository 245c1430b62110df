package org.flashflow.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.testing.PrometheusText;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private static Optional<HostPort> address(String value) throws ConfigException {
    return MetricsEndpoint.address(Config.parse("[metrics]\naddr = " + value + "\n", "test"));
  }

  @Test
  void addressIsOffByDefaultAndLoopbackForABarePort() throws Exception {
    assertEquals(Optional.empty(), MetricsEndpoint.address(Config.parse("", "test")));
    assertEquals(Optional.empty(), address(""));
    assertEquals(Optional.of(new HostPort("127.0.0.1", 9935)), address("9935"));
    assertEquals(Optional.of(new HostPort("0.0.0.0", 9935)), address("0.0.0.0:9935"));
    assertEquals(Optional.of(new HostPort("::1", 9935)), address("[::1]:9935"));
  }

  @Test
  void aBadAddressNamesSectionKeyAndValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> address("localhost"));
    assertTrue(
        e.getMessage().startsWith("[metrics] addr = \"localhost\": expected"), e.getMessage());
    assertThrows(ConfigException.class, () -> address("99999"));
  }

  @Test
  void servesTheRegistryAndNamesTheAddressItCannotBind() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter c = Counter.builder().name("test_things_total").help("things").register(registry);
    c.inc(3);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(new HostPort("127.0.0.1", 0), registry)) {
      PrometheusText scraped = PrometheusText.scrape(endpoint.address());
      assertEquals(3.0, scraped.value("test_things_total"));
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HostPort busy = new HostPort("127.0.0.1", taken.getLocalPort());
      IOException e = assertThrows(IOException.class, () -> MetricsEndpoint.start(busy, registry));
      assertTrue(e.getMessage().startsWith("cannot serve metrics on " + busy), e.getMessage());
    }
  }
}
