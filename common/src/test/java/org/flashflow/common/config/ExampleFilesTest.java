package org.flashflow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped examples in config/ load cleanly and show every key of their sections. */
class ExampleFilesTest {
  private static Path configDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("config/coord.ini"))) {
        return dir.resolve("config");
      }
    }
    throw new AssertionError("no config/coord.ini above " + Path.of("").toAbsolutePath());
  }

  @ParameterizedTest
  @CsvSource({
    "coord.ini, coord v3bw cleanup meas_params tor schedule measurers metrics ctrl",
    "measurer.ini, measurer tor metrics",
  })
  void loadsWithoutWarningsAndShowsEveryKey(String file, String sections) throws Exception {
    Config c = Config.load(configDir().resolve(file));
    assertEquals(List.of(), c.warnings());
    for (String section : sections.split(" ", -1)) {
      Map<String, String> keys = ConfigSchema.defaults().get(section);
      assertNotNull(keys, section);
      for (String key : keys.keySet()) {
        assertTrue(c.isSet(section, key), file + " lacks an example of [" + section + "] " + key);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"coord.ini", "measurer.ini"})
  void everyValueConverts(String file) throws Exception {
    Config c = Config.load(configDir().resolve(file));
    // The typed reads a coordinator or measurer does at startup; any failure throws.
    if (file.equals("coord.ini")) {
      c.address("coord", "listen_addr");
      c.address("coord", "ctrl_addr");
      c.address("ctrl", "coord_addr");
      c.path("coord", "results_log");
      c.path("coord", "state_file");
      c.path("v3bw", "v3bw");
      c.duration("v3bw", "max_results_age");
      c.duration("v3bw", "interval");
      c.integer("v3bw", "minimum_percent_eligible_relays", 0, 100);
      c.integer("v3bw", "minimum_number_eligible_relays", 0, Integer.MAX_VALUE);
      c.duration("cleanup", "results_compress_after");
      c.duration("cleanup", "results_delete_after");
      c.duration("cleanup", "v3bw_compress_after");
      c.duration("cleanup", "v3bw_delete_after");
      c.integer("meas_params", "meas_duration");
      c.fraction("meas_params", "bg_percent");
      c.duration("meas_params", "setup_timeout");
      c.duration("meas_params", "report_timeout");
      c.optionalDuration("meas_params", "active_timeout");
      c.bool("schedule", "enabled");
      c.duration("schedule", "period");
      c.optionalDuration("schedule", "slot");
      c.duration("schedule", "consensus_poll");
      c.duration("schedule", "stall_after");
      org.flashflow.common.metrics.MetricsEndpoint.address(c);
      c.decimal("schedule", "multiplier");
      c.integer("schedule", "num_circs");
      for (String name : c.section("measurers").keySet()) {
        c.byteRate("measurers", name);
      }
    } else {
      c.address("measurer", "coord_addr");
      c.path("measurer", "coord_cert");
      c.path("measurer", "key");
      c.duration("measurer", "circ_build_timeout");
    }
    c.optionalAddress("tor", "control_addr");
    c.optionalPath("tor", "control_socket");
    c.optionalPath("tor", "cookie_file");
    c.duration("tor", "command_timeout");
    c.duration("tor", "reconnect_max_backoff");
    c.lines("tor", "torrc_extra_lines");
  }
}
