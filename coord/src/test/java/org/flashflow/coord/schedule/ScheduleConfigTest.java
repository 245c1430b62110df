package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ScheduleConfigTest {
  @Test
  void consensusPollDefaultsToTenMinutesAndTakesUnits() throws Exception {
    assertEquals(Duration.ofMinutes(10), ScheduleConfig.from(Config.defaults()).consensusPoll());
    assertEquals(
        Duration.ofHours(1),
        ScheduleConfig.from(Config.parse("[schedule]\nconsensus_poll = 1 h\n", "t.ini"))
            .consensusPoll());
  }

  @Test
  void aConsensusPollUnderOneSecondNamesKeyAndValue() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ScheduleConfig.from(Config.parse("[schedule]\nconsensus_poll = 0\n", "t.ini")));
    assertEquals("[schedule] consensus_poll = \"0\": expected at least 1 s", e.getMessage());
  }
}
