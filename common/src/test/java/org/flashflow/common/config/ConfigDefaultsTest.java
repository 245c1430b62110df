package org.flashflow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The defaults of docs/protocol.md section 9 (and the keys added since), resolved. */
class ConfigDefaultsTest {
  @ParameterizedTest(name = "[{0}] {1} = {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "coord | datadir | data-coord",
        "coord | keydir | data-coord/keys",
        "coord | key | data-coord/keys/coord.pem",
        "coord | resultsdir | data-coord/results",
        "coord | results_log | data-coord/results/results.log",
        "coord | tor_datadir | data-coord/tor",
        "coord | listen_addr | localhost:12934",
        "coord | ctrl_addr | localhost:12935",
        "coord | ctrl_socket | ``",
        "coord | ctrl_group | ``",
        "coord | ctrl_auth | cookie",
        "coord | ctrl_cookie_file | data-coord/ctrl_auth_cookie",
        "coord | ctrl_password_hash | ``",
        "coord | state_file | data-coord/state.json",
        "v3bw | v3bw | data-coord/v3bw/v3bw",
        "v3bw | group | ``",
        "v3bw | max_results_age | 604800",
        "v3bw | interval | 1 hour",
        "v3bw | minimum_percent_eligible_relays | 60",
        "v3bw | minimum_number_eligible_relays | 0",
        "cleanup | results_compress_after | 29 days",
        "cleanup | results_delete_after | 57 days",
        "cleanup | v3bw_compress_after | 1 day",
        "cleanup | v3bw_delete_after | 7 days",
        "meas_params | meas_duration | 30",
        "meas_params | bg_percent | 0.25",
        "meas_params | setup_timeout | 30",
        "meas_params | report_timeout | 5",
        "meas_params | active_timeout | ``",
        "measurer | datadir | data-meas",
        "measurer | keydir | data-meas/keys",
        "measurer | key | data-meas/keys/measurer.pem",
        "measurer | coord_cert | data-meas/keys/coord.pem",
        "measurer | tor_datadir | data-meas/tor",
        "measurer | coord_addr | localhost:12934",
        "measurer | circ_build_timeout | 20",
        "ctrl | coord_addr | localhost:12935",
        "ctrl | socket | ``",
        "ctrl | auth | cookie",
        "ctrl | cookie_file | data-coord/ctrl_auth_cookie",
        "ctrl | password | ``",
        "tor | tor_bin | tor",
        "tor | torrc_extra_lines | ``",
        "tor | control_addr | ``",
        "tor | control_socket | ``",
        "tor | control_password | ``",
        "tor | cookie_file | ``",
        "tor | command_timeout | 10",
        "tor | reconnect_max_backoff | 60",
        "schedule | enabled | true",
        "schedule | period | 1 day",
        "schedule | slot | ``",
        "schedule | multiplier | 2.25",
        "schedule | num_circs | 160",
        "schedule | relay_filter_list | ``",
        "schedule | default_measurer_capacity | 100 Mbit/s",
        "schedule | new_relay_prior | advertised",
        "schedule | consensus_poll | 10 min",
        "schedule | stall_after | 10 min",
        "metrics | addr | ``",
      })
  void defaultResolves(String section, String key, String expected) throws Exception {
    assertEquals(expected, Config.defaults().string(section, key));
  }

  @Test
  void schemaHasExactlyTheTabledKeys() {
    // A new key must be added to the table above too (and to config/*.ini, see ExampleFilesTest).
    Map<String, Map<String, String>> d = ConfigSchema.defaults();
    assertEquals(
        List.of(
            "coord",
            "v3bw",
            "cleanup",
            "meas_params",
            "measurer",
            "ctrl",
            "tor",
            "schedule",
            "measurers",
            "metrics"),
        List.copyOf(d.keySet()));
    int keys = d.values().stream().mapToInt(Map::size).sum();
    assertEquals(60, keys);
    assertTrue(d.get("measurers").isEmpty());
  }

  @Test
  void defaultsConvertToTheirTypes() throws Exception {
    Config c = Config.defaults();
    assertTrue(c.warnings().isEmpty());
    assertEquals(Path.of("data-coord/results/results.log"), c.path("coord", "results_log"));
    assertEquals(new HostPort("localhost", 12935), c.address("ctrl", "coord_addr"));
    assertEquals(Duration.ofDays(1), c.duration("schedule", "period"));
    // Empty: the coordinator makes it meas_duration + 5 s (ScheduleSettings).
    assertEquals(Optional.empty(), c.optionalDuration("schedule", "slot"));
    assertEquals(Duration.ofMinutes(10), c.duration("schedule", "consensus_poll"));
    assertEquals(Duration.ofHours(1), c.duration("v3bw", "interval"));
    assertEquals(Duration.ofDays(7), c.duration("v3bw", "max_results_age"));
    assertEquals(Duration.ofDays(29), c.duration("cleanup", "results_compress_after"));
    assertEquals(Duration.ofDays(57), c.duration("cleanup", "results_delete_after"));
    assertEquals(Duration.ofDays(1), c.duration("cleanup", "v3bw_compress_after"));
    assertEquals(Duration.ofDays(7), c.duration("cleanup", "v3bw_delete_after"));
    assertEquals(Duration.ofSeconds(30), c.duration("meas_params", "setup_timeout"));
    assertEquals(Duration.ofSeconds(5), c.duration("meas_params", "report_timeout"));
    assertEquals(Optional.empty(), c.optionalDuration("meas_params", "active_timeout"));
    assertEquals(Duration.ofSeconds(10), c.duration("tor", "command_timeout"));
    assertEquals(Duration.ofSeconds(60), c.duration("tor", "reconnect_max_backoff"));
    assertEquals(0.25, c.fraction("meas_params", "bg_percent"));
    assertEquals(2.25, c.decimal("schedule", "multiplier"));
    assertEquals(160, c.integer("schedule", "num_circs"));
    assertEquals(30, c.integer("meas_params", "meas_duration"));
    assertEquals(true, c.bool("schedule", "enabled"));
    assertEquals(Optional.empty(), c.optionalAddress("tor", "control_addr"));
    assertEquals(Optional.empty(), c.optionalPath("tor", "control_socket"));
  }
}
