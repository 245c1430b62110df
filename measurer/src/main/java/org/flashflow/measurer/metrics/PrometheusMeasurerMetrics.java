package org.flashflow.measurer.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.flashflow.measurer.MeasurerMetrics;
import org.flashflow.torctl.model.TorState;

/**
 * {@link MeasurerMetrics} in Prometheus metrics (docs/operations.md, "Metrics"). The loop sets
 * them; the client library makes them safe to read from its scrape threads.
 */
public final class PrometheusMeasurerMetrics implements MeasurerMetrics {
  private final Gauge coordConnected;
  private final Gauge torState;
  private final Counter started;
  private final Counter ended;
  private final Counter sent;
  private final Counter received;

  public PrometheusMeasurerMetrics(PrometheusRegistry registry, String version) {
    Gauge.builder()
        .name("flashflow_measurer_info")
        .help("Always 1; the version of this measurer")
        .labelNames("version")
        .register(registry)
        .labelValues(version)
        .set(1);
    coordConnected =
        Gauge.builder()
            .name("flashflow_measurer_coordinator_connected")
            .help("1 while the TLS connection to the coordinator is up")
            .register(registry);
    torState =
        Gauge.builder()
            .name("flashflow_measurer_tor_state")
            .help("1 for the state of the measurer's tor connection, else 0")
            .labelNames("state")
            .register(registry);
    for (TorState s : TorState.values()) {
      torState.initLabelValues(s.name());
    }
    started =
        Counter.builder()
            .name("flashflow_measurer_measurements_started_total")
            .help("Measurements the coordinator asked for that began")
            .withoutExemplars()
            .register(registry);
    ended =
        Counter.builder()
            .name("flashflow_measurer_measurements_ended_total")
            .help("Measurements ended, by outcome (completed, failed: refused at once included)")
            .labelNames("outcome")
            .withoutExemplars()
            .register(registry);
    ended.initLabelValues("completed");
    ended.initLabelValues("failed");
    sent =
        Counter.builder()
            .name("flashflow_measurer_sent_bytes_total")
            .help("Bytes sent on measurement circuits, as tor counted them in its reports")
            .withoutExemplars()
            .register(registry);
    received =
        Counter.builder()
            .name("flashflow_measurer_received_bytes_total")
            .help("Bytes received on measurement circuits, as tor counted them in its reports")
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public void coordConnected(boolean connected) {
    coordConnected.set(connected ? 1 : 0);
  }

  @Override
  public void torState(TorState state) {
    for (TorState s : TorState.values()) {
      torState.labelValues(s.name()).set(s == state ? 1 : 0);
    }
  }

  @Override
  public void measurementStarted() {
    started.inc();
  }

  @Override
  public void measurementEnded(boolean completed) {
    ended.labelValues(completed ? "completed" : "failed").inc();
  }

  @Override
  public void reported(long sentBytes, long receivedBytes) {
    sent.inc(sentBytes);
    received.inc(receivedBytes);
  }
}
