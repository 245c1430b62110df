package org.flashflow.coord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.junit.jupiter.api.Test;

class CoordSettingsTest {
  private static final Duration S30 = Duration.ofSeconds(30);
  private static final Duration S5 = Duration.ofSeconds(5);
  private static final Duration S45 = Duration.ofSeconds(45);

  @Test
  void defaults() {
    CoordSettings d = CoordSettings.defaults();
    assertEquals(new CoordSettings(30, 0.25, 160, S30, S5, S45), d);
    assertEquals(Duration.ofSeconds(75), CoordSettings.of(60, 0.1).activeTimeout());
  }

  @Test
  void refusesNonsense() {
    assertEquals(
        "meas_duration must be 1..3600 seconds, not 0",
        assertThrows(IllegalArgumentException.class, () -> CoordSettings.of(0, 0.25)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> CoordSettings.of(3601, 0.25));
    assertThrows(IllegalArgumentException.class, () -> CoordSettings.of(30, 1.0));
    assertThrows(IllegalArgumentException.class, () -> CoordSettings.of(30, -0.1));
    assertThrows(IllegalArgumentException.class, () -> CoordSettings.of(30, Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> new CoordSettings(30, 0.25, 0, S30, S5, S45));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CoordSettings(30, 0.25, 160, Duration.ZERO, S5, S45));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CoordSettings(30, 0.25, 160, S30, Duration.ofSeconds(-1), S45));
    assertEquals(
        "active_timeout (30 s) must be longer than meas_duration (30 s)",
        assertThrows(
                IllegalArgumentException.class,
                () -> new CoordSettings(30, 0.25, 160, S30, S5, S30))
            .getMessage());
    assertThrows(NullPointerException.class, () -> new CoordSettings(30, 0.25, 160, null, S5, S45));
  }

  @Test
  void evenSplitGivesEveryMeasurerAtLeastOneCircuit() {
    assertEquals(
        List.of(
            new Assignment("a", 1, OptionalLong.empty()),
            new Assignment("b", 1, OptionalLong.empty()),
            new Assignment("c", 1, OptionalLong.empty())),
        MeasurementRequest.evenSplit(Harness.FP1, List.of("a", "b", "c"), 2).assignments());
    assertEquals(
        List.of(5, 5),
        MeasurementRequest.evenSplit(Harness.FP1, List.of("a", "b"), 10).assignments().stream()
            .map(Assignment::nCircs)
            .toList());
  }

  @Test
  void requestRefusesBadInput() {
    Assignment a = new Assignment("a", 1, OptionalLong.empty());
    assertThrows(
        IllegalArgumentException.class,
        () -> new MeasurementRequest(Harness.FP1.toLowerCase(java.util.Locale.ROOT), List.of(a)));
    assertThrows(
        IllegalArgumentException.class, () -> new MeasurementRequest(Harness.FP1, List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new MeasurementRequest(Harness.FP1, List.of(a, a)));
    assertThrows(
        IllegalArgumentException.class, () -> new Assignment("a", 0, OptionalLong.empty()));
    assertThrows(IllegalArgumentException.class, () -> new Assignment("a", 1, OptionalLong.of(0)));
  }
}
