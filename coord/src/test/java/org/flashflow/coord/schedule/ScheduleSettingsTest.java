package org.flashflow.coord.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleSettingsTest {
  @Test
  void defaultsFromTheSchema() throws Exception {
    ScheduleSettings s = ScheduleSettings.from(Config.defaults());
    assertEquals(ScheduleSettings.defaults(new Capacities(Map.of(), 12_500_000)), s);
    // meas_duration 30 s + 5 s of setup: measurements packed back to back, not the proposal's 60 s.
    assertEquals(Duration.ofSeconds(35), s.slot());
    assertEquals(2468, s.clock().slotsInPeriod());
  }

  @Test
  void anUnsetSlotFollowsMeasDurationAndASetOneWins() throws Exception {
    assertEquals(
        Duration.ofSeconds(45),
        ScheduleSettings.from(Config.parse("[meas_params]\nmeas_duration = 40\n", "t.ini")).slot());
    assertEquals(
        Duration.ofSeconds(45),
        ScheduleSettings.from(
                Config.parse("[meas_params]\nmeas_duration = 40\n[schedule]\nslot =\n", "t.ini"))
            .slot());
    assertEquals(
        Duration.ofSeconds(60),
        ScheduleSettings.from(
                Config.parse(
                    "[meas_params]\nmeas_duration = 40\n[schedule]\nslot = 1 min\n", "t.ini"))
            .slot());
  }

  @Test
  void measurersAndTheirDefault() throws Exception {
    Config c =
        Config.parse(
            "[schedule]\nslot = 35 s\nnew_relay_prior = p75\n"
                + "default_measurer_capacity = 1 Gbit/s\n"
                + "[measurers]\nalice = 1 Gbit/s\nbob = 50 Mbit/s\n",
            "test.ini");
    ScheduleSettings s = ScheduleSettings.from(c);
    assertEquals(Duration.ofSeconds(35), s.slot());
    assertEquals(ScheduleSettings.Prior.PERCENTILE_75, s.prior());
    Capacities caps = s.capacities();
    assertEquals(125_000_000, caps.of("alice"));
    assertEquals(6_250_000, caps.of("bob"));
    assertEquals(125_000_000, caps.of("carol"));
    assertEquals(List.of("carol"), caps.unconfigured(List.of("bob", "carol", "alice")));
    assertEquals(256_250_000, caps.total(List.of("alice", "bob", "carol")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "new_relay_prior = median | [schedule] new_relay_prior = \"median\": expected advertised"
            + " or p75",
        "multiplier = 0.5 | [schedule] multiplier = \"0.5\": expected a number from 1 to 100",
        "slot = 2 day | [schedule] slot = \"2 day\": expected at least 1 s and at most the period",
        "period = 20 s | [schedule] period = \"20 s\": expected at least the slot (meas_duration"
            + " + 5 s = 35 s, as [schedule] slot is empty)",
      })
  void badValuesNameKeyAndValue(String line, String message) {
    assertEquals(
        message,
        assertThrows(
                ConfigException.class,
                () -> ScheduleSettings.from(Config.parse("[schedule]\n" + line + "\n", "t.ini")))
            .getMessage());
  }
}
