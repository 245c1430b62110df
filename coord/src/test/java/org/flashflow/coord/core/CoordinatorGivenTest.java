package org.flashflow.coord.core;

import static org.flashflow.coord.core.Harness.FP1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.flashflow.coord.results.ResultsLogFormat;
import org.flashflow.torctl.model.FfMeasEvent;
import org.junit.jupiter.api.Test;

/** The record of a measurement carries the measurer capacity given to it (the GIVEN line). */
class CoordinatorGivenTest {

  /** Runs a two-second measurement with alice and bob, each receiving {@code recv} a second. */
  private static MeasurementRecord measure(Harness h, MeasurementRequest request, long recv) {
    h.ready();
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    h.coord.startMeasurement(request, new Harness.Answer());
    long id = h.lastMeasId();
    h.launch(id);
    h.accept(id);
    h.connected(alice, id);
    h.connected(bob, id);
    h.tor.active(id).callback().onSuccess(null);
    for (int i = 0; i < 2; i++) {
      h.tick();
      h.bg(id, 0, 0);
      h.report(alice, id, recv);
      h.report(bob, id, recv);
    }
    return h.onlyRecord();
  }

  private static MeasurementRequest shares(long alice, long bob) {
    return new MeasurementRequest(
        FP1,
        List.of(
            new Assignment("alice", 80, OptionalLong.of(alice)),
            new Assignment("bob", 80, OptionalLong.of(bob))));
  }

  @Test
  void scheduledMeasurementRecordsTheSumOfTheShares() {
    MeasurementRecord r = measure(new Harness(CoordSettings.of(2, 0.25)), shares(600, 400), 450);
    assertTrue(r.completed(), r.toString());
    assertEquals(OptionalLong.of(1000), r.givenBw());
    assertEquals(r.measId() + " " + r.beginTs() + " GIVEN 1000", ResultsLogFormat.lines(r).get(1));
    assertTrue(MeasurerLimit.limited(r), "900 of 1000 given");
  }

  @Test
  void notLimitedBelowNinetyPercent() {
    MeasurementRecord r = measure(new Harness(CoordSettings.of(2, 0.25)), shares(600, 400), 449);
    assertEquals(OptionalLong.of(1000), r.givenBw());
    assertFalse(MeasurerLimit.limited(r), "898 of 1000 given");
  }

  @Test
  void manualMeasureHasNoGivenCapacity() {
    Harness h = new Harness(CoordSettings.of(2, 0.25));
    MeasurementRecord r =
        measure(h, MeasurementRequest.evenSplit(FP1, List.of("alice", "bob"), 160), 450);
    assertEquals(OptionalLong.empty(), r.givenBw());
    assertFalse(ResultsLogFormat.render(r).contains("GIVEN"));
    assertFalse(MeasurerLimit.limited(r));
  }

  @Test
  void failedMeasurementKeepsItsGivenCapacity() {
    Harness h = new Harness(CoordSettings.of(2, 0.25)).ready();
    h.connect("alice");
    h.connect("bob");
    h.coord.startMeasurement(shares(600, 400), new Harness.Answer());
    long id = h.lastMeasId();
    h.launch(id);
    h.coord.torEvent(new FfMeasEvent.ParamsOk(id, false));
    MeasurementRecord r = h.onlyRecord();
    assertFalse(r.completed());
    assertEquals(OptionalLong.of(1000), r.givenBw());
  }
}
