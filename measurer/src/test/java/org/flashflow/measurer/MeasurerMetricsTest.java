package org.flashflow.measurer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.metrics.MetricsEndpoint;
import org.flashflow.common.testing.PrometheusText;
import org.flashflow.measurer.metrics.PrometheusMeasurerMetrics;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;

/**
 * The measurer core's metrics through the Prometheus adapter, scraped over HTTP and parsed
 * strictly: a whole measurement on virtual time, a refused one, and the coordinator and tor states.
 */
class MeasurerMetricsTest {
  @Test
  void aScrapeShowsMeasurementsBytesAndConnections() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Fixture f = new Fixture(new PrometheusMeasurerMetrics(registry, "test"));
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(new HostPort("127.0.0.1", 0), registry)) {
      PrometheusText before = PrometheusText.scrape(endpoint.address());
      assertEquals(1.0, before.value("flashflow_measurer_coordinator_connected"));
      assertEquals(1.0, before.value("flashflow_measurer_tor_state", "state", "READY"));
      assertEquals(0.0, before.value("flashflow_measurer_received_bytes_total"));

      f.active(7, 2, List.of(10L, 11L));
      f.report(7, 100, 200);
      f.report(7, 300, 400);
      f.end(7, true);
      f.measurer.torStateChanged(TorState.LOST, "connection reset");
      f.fromCoord(Fixture.ask(8, 2, 2)); // refused at once: tor is not ready
      f.measurer.coordDisconnected(f.link);

      PrometheusText m = PrometheusText.scrape(endpoint.address());
      assertEquals(1.0, m.value("flashflow_measurer_measurements_started_total"), "8 never began");
      assertEquals(
          1.0, m.value("flashflow_measurer_measurements_ended_total", "outcome", "completed"));
      assertEquals(
          1.0, m.value("flashflow_measurer_measurements_ended_total", "outcome", "failed"));
      assertEquals(600.0, m.value("flashflow_measurer_received_bytes_total"));
      assertEquals(400.0, m.value("flashflow_measurer_sent_bytes_total"));
      assertEquals(0.0, m.value("flashflow_measurer_coordinator_connected"));
      assertEquals(1.0, m.value("flashflow_measurer_tor_state", "state", "LOST"));
      assertEquals(0.0, m.value("flashflow_measurer_tor_state", "state", "READY"));
      assertEquals(1.0, m.value("flashflow_measurer_info", "version", "test"));
    }
  }
}
