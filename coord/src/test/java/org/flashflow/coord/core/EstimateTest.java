package org.flashflow.coord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EstimateTest {
  private static final String FP = "ABABABABABABABABABABABABABABABABABABABAB";

  @ParameterizedTest(name = "maxBg({0}, {1}) = {2}")
  @CsvSource({
    "3, 0.25, 1",
    "300, 0.25, 100",
    "301, 0.25, 100",
    "299, 0.25, 99",
    "9, 0.1, 1", // 0.1 * 9 / 0.9 is 0.999... in doubles
    "7, 0.3, 3", // 0.3 * 7 / 0.7 is 2.999... in doubles
    "1000, 0.5, 1000",
    "1000, 0, 0",
    "0, 0.25, 0",
    "-5, 0.25, 0",
    "9223372036854775807, 0.5, 9223372036854775807",
    "9223372036854775807, 0.9, 9223372036854775807",
  })
  void maxBg(long measured, double r, long expected) {
    assertEquals(expected, Estimate.maxBg(measured, r));
  }

  @ParameterizedTest
  @CsvSource({"1", "-0.1", "1.5", "NaN"})
  void maxBgRejectsFractionOutsideRange(double r) {
    assertThrows(IllegalArgumentException.class, () -> Estimate.maxBg(10, r));
  }

  @ParameterizedTest(name = "total({0}, {1}, {2}) = {3}")
  @CsvSource({
    "1000, 0, 333, 1000",
    "1000, 100, 333, 1100",
    "1000, 10000, 333, 1333",
    "0, 50, 0, 0",
    "1000, -7, 333, 1000",
    "9223372036854775807, 10, 10, 9223372036854775807",
  })
  void total(long measured, long claimed, long maxBg, long expected) {
    assertEquals(expected, Estimate.total(measured, claimed, maxBg));
  }

  @Test
  void secondTakesSmallerOfSentAndRecvAndSumsMeasurers() {
    MeasurementRecord.Second s = Estimate.second(List.of(600L, 300L), 500, 200, 0.25);
    assertEquals(List.of(600L, 300L), s.measurerRecv());
    assertEquals(200, s.claimedBg());
    assertEquals(300, s.maxBg());
    assertEquals(1100, Estimate.total(s));
  }

  @Test
  void secondClampsNegativeClaimToZero() {
    assertEquals(0, Estimate.second(List.of(100L), -1, 5, 0.25).claimedBg());
  }

  @Test
  void liarClaimingTenfoldGainsAtMostOneOverOneMinusR() {
    double r = 0.25;
    List<MeasurementRecord.Second> honest = new ArrayList<>();
    List<MeasurementRecord.Second> liar = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long recv = 1_000_000 + 1000 * i;
      honest.add(Estimate.second(List.of(recv / 2, recv - recv / 2), 0, 0, r));
      liar.add(Estimate.second(List.of(recv / 2, recv - recv / 2), 10 * recv, 10 * recv, r));
    }
    double honestEstimate = Estimate.estimate(honest);
    double liarEstimate = Estimate.estimate(liar);
    assertTrue(liarEstimate > honestEstimate, "some background is believed");
    assertTrue(
        liarEstimate <= honestEstimate / (1 - r),
        liarEstimate + " must be at most " + honestEstimate / (1 - r));
    assertEquals(Math.floor(honestEstimate / (1 - r)), liarEstimate, 1.0);
  }

  @Test
  void oddCountTakesMiddleTotal() {
    // totals 500, 100, 300 (one with believed background), 900, 700
    MeasurementRecord record =
        record(sec(500, 0, 0), sec(100, 0, 0), sec(200, 100, 100), sec(900, 0, 0), sec(700, 0, 0));
    assertEquals(500.0, Estimate.estimate(record));
  }

  @Test
  void evenCountTakesMeanOfMiddleTwo() {
    MeasurementRecord record =
        record(sec(400, 0, 0), sec(100, 0, 0), sec(301, 0, 0), sec(900, 0, 0));
    assertEquals(350.5, Estimate.estimate(record));
  }

  @Test
  void singleSecond() {
    assertEquals(1333.0, Estimate.estimate(record(sec(1000, 5000, 333))));
  }

  @Test
  void zeroTrafficEstimatesZero() {
    assertEquals(0.0, Estimate.estimate(record(sec(0, 0, 0), sec(0, 0, 0), sec(0, 0, 0))));
  }

  @Test
  void evenMedianOfHugeTotalsDoesNotOverflow() {
    long big = Long.MAX_VALUE - 1;
    assertEquals((double) big, Estimate.estimate(record(sec(big, 0, 0), sec(big, 0, 0))));
  }

  @Test
  void noSecondsIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Estimate.estimate(record()));
  }

  private static MeasurementRecord.Second sec(long recv, long claimed, long maxBg) {
    return new MeasurementRecord.Second(List.of(recv), claimed, maxBg);
  }

  private static MeasurementRecord record(MeasurementRecord.Second... seconds) {
    return new MeasurementRecord(1, FP, 1_600_000_000L, List.of(seconds), Optional.empty());
  }
}
