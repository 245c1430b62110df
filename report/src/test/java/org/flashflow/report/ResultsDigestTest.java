package org.flashflow.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.Test;

class ResultsDigestTest {
  static final String A = "AA".repeat(20);
  static final String B = "BB".repeat(20);

  /** {@code n} seconds of one measurer's {@code recv} and a claim against {@code maxBg}. */
  static MeasurementRecord done(long id, String fp, long begin, long recv, long claimed, long max) {
    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seconds.add(new MeasurementRecord.Second(List.of(recv / 2, recv - recv / 2), claimed, max));
    }
    return new MeasurementRecord(id, fp, begin, seconds, Optional.empty(), OptionalLong.empty());
  }

  static MeasurementRecord failed(long id, String fp, long begin, FailReason reason) {
    return new MeasurementRecord(
        id, fp, begin, List.of(), Optional.of(new MeasurementRecord.Failed(reason, "")));
  }

  private static final List<MeasurementRecord> LOG =
      List.of(
          done(1, A, 1_000, 1_000_000, 100_000, 333_333),
          failed(2, B, 1_010, FailReason.TIMEOUT),
          done(3, B, 1_100, 2_000_000, 5_000_000, 666_666), // claims far more than believed
          done(4, A, 1_200, 3_000_000, 0, 1_000_000),
          failed(5, A, 1_300, FailReason.CIRC_FAILED),
          failed(6, B, 4_000, FailReason.TIMEOUT));

  private static ResultsDigest onePass(Optional<String> relay) {
    ResultsDigest d = new ResultsDigest(relay);
    LOG.forEach(d);
    return d;
  }

  @Test
  void keepsEachRelaysNewestEstimateAndLastFailure() {
    ResultsDigest d = onePass(Optional.empty());
    ResultsDigest.Relay a = d.relays().get(A);
    assertEquals(4, a.measId());
    assertEquals(3_000_000, a.estimate());
    assertFalse(a.clamped());
    assertEquals(1_300, a.lastFailTs());
    ResultsDigest.Relay b = d.relays().get(B);
    assertEquals(3, b.measId());
    assertEquals(2_666_666, b.estimate());
    assertTrue(b.clamped(), "claimed 5 MB/s, believed 0.67 MB/s");
    assertEquals(4_000, b.lastFailTs());
    assertEquals(3, d.completed());
    assertEquals(3, d.failed());
  }

  @Test
  void countsOutcomesPerMinuteByReason() {
    ResultsDigest d = onePass(Optional.empty());
    assertEquals(List.of(16L, 18L, 20L, 21L, 66L), List.copyOf(d.perMinute().keySet()));
    int[] minute16 = d.perMinute().get(16L);
    assertEquals(1, minute16[0]);
    assertEquals(1, minute16[1 + FailReason.TIMEOUT.ordinal()]);
    assertEquals(1, d.perMinute().get(21L)[1 + FailReason.CIRC_FAILED.ordinal()]);
  }

  @Test
  void keepsTheSecondsOfTheNewestMeasurementOfTheChosenRelayOnly() {
    assertEquals(4, onePass(Optional.empty()).chosen().orElseThrow().measId());
    assertEquals(3, onePass(Optional.of(B)).chosen().orElseThrow().measId());
    assertTrue(onePass(Optional.of("CC".repeat(20))).chosen().isEmpty());
  }

  @Test
  void partsJoinedInOrderGiveWhatOnePassGives() {
    for (Optional<String> relay : List.of(Optional.<String>empty(), Optional.of(B))) {
      ResultsDigest one = onePass(relay);
      for (int cut1 = 0; cut1 <= LOG.size(); cut1++) {
        for (int cut2 = cut1; cut2 <= LOG.size(); cut2++) {
          ResultsDigest joined = new ResultsDigest(relay);
          for (List<MeasurementRecord> part :
              List.of(
                  LOG.subList(0, cut1), LOG.subList(cut1, cut2), LOG.subList(cut2, LOG.size()))) {
            ResultsDigest d = new ResultsDigest(relay);
            part.forEach(d);
            joined.addAll(d);
          }
          String where = "cuts at " + cut1 + " and " + cut2;
          assertEquals(one.relays(), joined.relays(), where);
          assertEquals(one.chosen(), joined.chosen(), where);
          assertEquals(one.completed(), joined.completed(), where);
          assertEquals(one.failed(), joined.failed(), where);
          assertEquals(one.perMinute().keySet(), joined.perMinute().keySet(), where);
          one.perMinute().forEach((m, c) -> assertArrayEquals(c, joined.perMinute().get(m), where));
        }
      }
    }
  }

  @Test
  void aRelayWhoseClaimWasCutByOnePercentOrLessIsNotMarked() {
    // measured 1,000,000; claimed 340,000 against a cap of 333,333: 0.5% more if believed
    MeasurementRecord r = done(1, A, 0, 1_000_000, 340_000, 333_333);
    assertFalse(ResultsDigest.clamped(r, 1_333_333));
    MeasurementRecord liar = done(1, A, 0, 1_000_000, 400_000, 333_333);
    assertTrue(ResultsDigest.clamped(liar, 1_333_333));
  }
}
