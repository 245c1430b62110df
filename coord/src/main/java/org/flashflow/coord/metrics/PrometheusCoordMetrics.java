package org.flashflow.coord.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.torctl.model.TorState;

/**
 * {@link CoordMetrics} in Prometheus metrics (names and meanings in docs/operations.md, "Metrics").
 * The loop sets counters, gauges and histograms, which the client library makes safe to read from
 * its scrape threads; a scrape computes only the age of the last background report, from a gauge
 * and the injected clock, and never touches coordinator state.
 */
public final class PrometheusCoordMetrics implements CoordMetrics {
  /** The stall reasons {@code StallAlarm} names, so that each series exists from the start. */
  static final List<String> STALL_REASONS =
      List.of(
          "tor_down",
          "no_measurers",
          "measurements_failing",
          "no_schedule",
          "measurements_refused",
          "not_starting",
          "no_progress");

  private final Gauge measurers;
  private final Counter started;
  private final Counter completed;
  private final Counter failed;
  private final Histogram estimates;
  private final DistributionDataPoint measurerReports;
  private final DistributionDataPoint backgroundReports;
  private final Gauge lastBackground;
  private final Histogram logWrite;
  private final Histogram logFsync;
  private final Gauge v3bwTime;
  private final Gauge v3bwRelays;
  private final Gauge scheduleRelays;
  private final Gauge slotsBehind;
  private final Gauge stalled;
  private final Gauge stallReason;
  private final Gauge torState;

  /**
   * Registers every metric in {@code registry}.
   *
   * @param clock for the age of the last background report, read at scrape time
   */
  public PrometheusCoordMetrics(PrometheusRegistry registry, Clock clock, String version) {
    Objects.requireNonNull(clock, "clock");
    Gauge.builder()
        .name("flashflow_coordinator_info")
        .help("Always 1; the version of this coordinator")
        .labelNames("version")
        .register(registry)
        .labelValues(version)
        .set(1);
    measurers =
        Gauge.builder()
            .name("flashflow_measurer_connected")
            .help("1 while the measurer is connected, 0 after it disconnected")
            .labelNames("measurer")
            .register(registry);
    started =
        Counter.builder()
            .name("flashflow_measurements_started_total")
            .help("Measurements begun (tor asked for the circuit)")
            .withoutExemplars()
            .register(registry);
    completed =
        Counter.builder()
            .name("flashflow_measurements_completed_total")
            .help("Measurements completed with an estimate")
            .withoutExemplars()
            .register(registry);
    failed =
        Counter.builder()
            .name("flashflow_measurements_failed_total")
            .help("Measurements failed, by results-log FAIL reason")
            .labelNames("reason")
            .withoutExemplars()
            .register(registry);
    for (FailReason r : FailReason.values()) {
      failed.initLabelValues(r.name());
    }
    estimates =
        Histogram.builder()
            .name("flashflow_estimate_bytes_per_second")
            .help("Estimates of completed measurements (docs/protocol.md section 5)")
            .classicOnly()
            // 125 kB/s (1 Mbit/s) to 1 GB/s, doubling.
            .classicExponentialUpperBounds(125_000, 2, 14)
            .withoutExemplars()
            .register(registry);
    Histogram reports =
        Histogram.builder()
            .name("flashflow_report_latency_seconds")
            .help(
                "Time since the same source's previous report in the active phase (the first:"
                    + " since Go); source is measurer or background (tor's)")
            .labelNames("source")
            .classicOnly()
            .classicUpperBounds(0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 5, 10)
            .withoutExemplars()
            .register(registry);
    measurerReports = reports.labelValues("measurer");
    backgroundReports = reports.labelValues("background");
    lastBackground =
        Gauge.builder()
            .name("flashflow_last_background_report_timestamp_seconds")
            .help("When tor's last background report of a measurement arrived (unix time)")
            .register(registry);
    GaugeWithCallback.builder()
        .name("flashflow_last_background_report_age_seconds")
        .help("Seconds since tor's last background report of a measurement (absent before one)")
        .callback(
            cb -> {
              double last = lastBackground.get();
              if (last > 0) {
                cb.call(Math.max(0, clock.millis() / 1000.0 - last));
              }
            })
        .register(registry);
    double[] fileBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
    };
    logWrite =
        Histogram.builder()
            .name("flashflow_results_log_write_seconds")
            .help("Time to append one measurement's lines to the results log")
            .classicOnly()
            .classicUpperBounds(fileBounds)
            .withoutExemplars()
            .register(registry);
    logFsync =
        Histogram.builder()
            .name("flashflow_results_log_fsync_seconds")
            .help("Time of the fsync after each append to the results log")
            .classicOnly()
            .classicUpperBounds(fileBounds)
            .withoutExemplars()
            .register(registry);
    v3bwTime =
        Gauge.builder()
            .name("flashflow_v3bw_last_written_timestamp_seconds")
            .help("Time in the header of the last bandwidth file written (unix time)")
            .register(registry);
    v3bwRelays =
        Gauge.builder()
            .name("flashflow_v3bw_last_measured_relays")
            .help("Measured relays in the last bandwidth file written")
            .register(registry);
    scheduleRelays =
        Gauge.builder()
            .name("flashflow_schedule_relays")
            .help("Relays of the current period by state: measured, pending (running too), failed")
            .labelNames("state")
            .register(registry);
    for (String s : List.of("measured", "pending", "failed")) {
      scheduleRelays.initLabelValues(s);
    }
    slotsBehind =
        Gauge.builder()
            .name("flashflow_schedule_slots_behind")
            .help("Slots of the current period that began without their measurements handed out")
            .register(registry);
    stalled =
        Gauge.builder()
            .name("flashflow_schedule_stalled")
            .help("1 while relays are due and no scheduled measurement completed for stall_after")
            .register(registry);
    stallReason =
        Gauge.builder()
            .name("flashflow_schedule_stall_reason")
            .help("1 for the reason of the current stall, else 0")
            .labelNames("reason")
            .register(registry);
    for (String r : STALL_REASONS) {
      stallReason.initLabelValues(r);
    }
    torState =
        Gauge.builder()
            .name("flashflow_tor_state")
            .help("1 for the state of the coordinator's tor connection, else 0")
            .labelNames("state")
            .register(registry);
    for (TorState s : TorState.values()) {
      torState.initLabelValues(s.name());
    }
  }

  @Override
  public void measurerConnected(String name) {
    measurers.labelValues(name).set(1);
  }

  @Override
  public void measurerDisconnected(String name) {
    measurers.labelValues(name).set(0);
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
  public void measurementEnded(MeasurementRecord record, OptionalDouble estimate) {
    if (record.completed()) {
      completed.inc();
      estimate.ifPresent(estimates::observe);
    } else {
      failed.labelValues(record.failure().orElseThrow().reason().name()).inc();
    }
  }

  @Override
  public void reportReceived(boolean background, Duration sincePrevious, Instant at) {
    double seconds = sincePrevious.toNanos() / 1e9;
    if (background) {
      backgroundReports.observe(seconds);
      lastBackground.set(at.toEpochMilli() / 1000.0);
    } else {
      measurerReports.observe(seconds);
    }
  }

  @Override
  public void resultsLogWritten(long writeNanos, long fsyncNanos) {
    logWrite.observe(writeNanos / 1e9);
    logFsync.observe(fsyncNanos / 1e9);
  }

  @Override
  public void bandwidthFileWritten(Instant at, int relays) {
    v3bwTime.set(at.toEpochMilli() / 1000.0);
    v3bwRelays.set(relays);
  }

  @Override
  public void scheduleProgress(int measured, int pending, int failedRelays, int behind) {
    scheduleRelays.labelValues("measured").set(measured);
    scheduleRelays.labelValues("pending").set(pending);
    scheduleRelays.labelValues("failed").set(failedRelays);
    slotsBehind.set(behind);
  }

  @Override
  public void scheduleStalled(Optional<String> reason) {
    stalled.set(reason.isPresent() ? 1 : 0);
    for (String r : STALL_REASONS) {
      stallReason.labelValues(r).set(reason.isPresent() && reason.get().equals(r) ? 1 : 0);
    }
  }
}
