package org.flashflow.coord.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.flashflow.common.testing.PrometheusText;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Behaviour;
import org.flashflow.coord.e2e.FakeFlashFlowTor.Relay;
import org.flashflow.coord.e2e.TestMeasurer.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's metrics endpoint and {@code status json} over loopback: a real daemon measures
 * a relay and a failing one, and then a scrape (parsed strictly) and the JSON show it.
 */
class CoordMetricsE2ETest {
  static final String FP = "AB".repeat(20);
  static final String BAD_FP = "CD".repeat(20);

  @TempDir Path dir;
  private CoordFixture coord;

  @AfterEach
  void tearDown() throws Exception {
    if (coord != null) {
      coord.close();
    }
  }

  private void start(boolean metrics) throws Exception {
    FakeFlashFlowTor tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(new Relay("honest", FP, 300_000, 200_000), Behaviour.HONEST);
    tor.addRelay(new Relay("refuser", BAD_FP, 300_000, 200_000), Behaviour.REFUSES);
    coord = new CoordFixture(dir).attach(tor);
    if (metrics) {
      coord.set("metrics", "addr", "127.0.0.1:0");
    }
    coord.trustedMeasurerKey("alice");
    coord.startReady();
    coord.measurer("alice", Script.honest(1_000_000));
  }

  @Test
  void aScrapeShowsMeasurementsMeasurersTorResultsLogAndBandwidthFile() throws Exception {
    start(true);
    InetSocketAddress at = coord.daemon().metricsAddress().orElseThrow();
    assertEquals("127.0.0.1", at.getAddress().getHostAddress());

    long id = coord.measure(FP, FP);
    coord.awaitRecord(id);
    long bad = coord.measure(BAD_FP, BAD_FP);
    CoordFixture.assertFailed(coord.awaitRecord(bad), BAD_FP, "RELAY_REFUSED");
    List<String> v3bw = coord.ctrl("v3bw");
    assertTrue(v3bw.get(0).startsWith("OK "), v3bw.toString());

    PrometheusText m = PrometheusText.scrape(at);
    assertEquals(1.0, m.value("flashflow_measurer_connected", "measurer", "alice"));
    assertEquals(2.0, m.value("flashflow_measurements_started_total"));
    assertEquals(1.0, m.value("flashflow_measurements_completed_total"));
    assertEquals(1.0, m.value("flashflow_measurements_failed_total", "reason", "RELAY_REFUSED"));
    assertEquals(0.0, m.value("flashflow_measurements_failed_total", "reason", "TIMEOUT"));
    assertEquals(Optional.of("counter"), m.type("flashflow_measurements_failed_total"));
    // estimate = 1e6 + 200000 bytes/s, in the (1e6, 2e6] bucket
    assertEquals(1.0, m.value("flashflow_estimate_bytes_per_second_count"));
    assertEquals(1_200_000.0, m.value("flashflow_estimate_bytes_per_second_sum"));
    assertEquals(0.0, m.value("flashflow_estimate_bytes_per_second_bucket", "le", "1000000.0"));
    assertEquals(1.0, m.value("flashflow_estimate_bytes_per_second_bucket", "le", "2000000.0"));
    assertEquals(3.0, m.value("flashflow_report_latency_seconds_count", "source", "measurer"));
    assertEquals(3.0, m.value("flashflow_report_latency_seconds_count", "source", "background"));
    assertEquals(2.0, m.value("flashflow_results_log_write_seconds_count"));
    assertEquals(2.0, m.value("flashflow_results_log_fsync_seconds_count"));
    assertTrue(m.value("flashflow_results_log_fsync_seconds_sum") > 0);
    assertEquals(1.0, m.value("flashflow_v3bw_last_measured_relays"));
    double written = m.value("flashflow_v3bw_last_written_timestamp_seconds");
    assertTrue(Math.abs(written - System.currentTimeMillis() / 1000.0) < 60, "" + written);
    assertEquals(1.0, m.value("flashflow_tor_state", "state", "READY"));
    assertEquals(0.0, m.value("flashflow_tor_state", "state", "LOST"));
    double age = m.value("flashflow_last_background_report_age_seconds");
    assertTrue(age >= 0 && age < 60, "age " + age);
    assertEquals(1.0, m.value("flashflow_coordinator_info", "version", "test"));
    // The schedule is off in this fixture, so the stall alarm never rang.
    assertEquals(0.0, m.value("flashflow_schedule_stalled"));
  }

  @Test
  void noEndpointUnlessConfigured() throws Exception {
    start(false);
    assertEquals(Optional.empty(), coord.daemon().metricsAddress());
  }

  @Test
  void statusJsonIsOneObjectWithEveryDocumentedField() throws Exception {
    start(false);
    long id = coord.measure(FP, FP);
    coord.awaitRecord(id);
    assertTrue(coord.ctrl("v3bw").get(0).startsWith("OK "));

    List<String> reply = coord.ctrl("status json");
    assertEquals(2, reply.size(), reply.toString());
    assertEquals("OK", reply.get(1));
    JsonNode s = json(reply.get(0));
    assertFields(
        s,
        "version",
        "tor",
        "measurers",
        "measurements",
        "schedule",
        "bandwidth_file",
        "results_log");
    assertEquals("test", s.get("version").asText());
    assertFields(s.get("tor"), "state", "detail");
    assertEquals("READY", s.get("tor").get("state").asText());
    JsonNode alice = s.get("measurers").get(0);
    assertFields(alice, "name", "address", "live_measurements");
    assertEquals("alice", alice.get("name").asText());
    assertFields(s.get("measurements"), "live", "completed_since_start", "failed_since_start");
    assertEquals(1, s.get("measurements").get("completed_since_start").asInt());
    assertTrue(s.get("measurements").get("live").isArray());
    assertEquals(false, s.get("schedule").get("enabled").asBoolean());
    assertFields(s.get("bandwidth_file"), "path", "written", "measured_relays");
    assertEquals(1, s.get("bandwidth_file").get("measured_relays").asInt());
    assertFields(s.get("results_log"), "path", "latest_results_loaded", "relays_in_memory");
    assertEquals(coord.resultsLog().toString(), s.get("results_log").get("path").asText());
  }

  @Test
  void statusJsonListsALiveMeasurementWithPhaseAndSecondsDone() throws Exception {
    FakeFlashFlowTor tor = new FakeFlashFlowTor(true, 100);
    tor.addRelay(new Relay("honest", FP, 300_000, 200_000), Behaviour.HONEST);
    coord = new CoordFixture(dir).attach(tor);
    coord.trustedMeasurerKey("alice");
    coord.startReady();
    // alice never answers ConnectToRelay, so the measurement stays live (setup_timeout 30 s).
    coord.measurer("alice", Script.ignoresConnect());
    long id = coord.measure(FP, FP);
    JsonNode live =
        Await.value(
            CoordFixture.WAIT,
            () -> {
              JsonNode s = json(coord.ctrl("status json").get(0));
              JsonNode l = s.get("measurements").get("live");
              return l.size() == 1 && l.get(0).get("phase").asText().equals("CONNECTING_MEASURERS")
                  ? l.get(0)
                  : null;
            },
            "a live measurement waiting for its measurers");
    assertFields(live, "meas_id", "relay_fp", "phase", "seconds_done", "duration", "measurers");
    assertEquals(id, live.get("meas_id").asLong());
    assertEquals(FP, live.get("relay_fp").asText());
    assertEquals(0, live.get("seconds_done").asInt());
    assertEquals(3, live.get("duration").asInt());
    assertEquals("alice", live.get("measurers").get(0).asText());
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  private static void assertFields(JsonNode node, String... names) {
    assertTrue(node != null && node.isObject(), "not an object: " + node);
    Iterator<String> actual = node.fieldNames();
    for (String name : names) {
      assertTrue(actual.hasNext(), "missing " + name + " in " + node);
      assertEquals(name, actual.next(), "fields in documented order: " + node);
    }
    assertTrue(!actual.hasNext(), "undocumented field in " + node);
  }
}
