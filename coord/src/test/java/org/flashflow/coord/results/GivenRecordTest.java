package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurerLimit;
import org.junit.jupiter.api.Test;

/** The results log's GIVEN record and {@link MeasurerLimit} on records. */
class GivenRecordTest {
  private static final String FP = "ABABABABABABABABABABABABABABABABABABABAB";

  private static MeasurementRecord completed(long id, long ts, OptionalLong given, long... sums) {
    List<MeasurementRecord.Second> seconds = new ArrayList<>();
    for (long s : sums) {
      seconds.add(new MeasurementRecord.Second(List.of(s / 2, s - s / 2), 10, 20));
    }
    return new MeasurementRecord(id, FP, ts, seconds, Optional.empty(), given);
  }

  @Test
  void givenIsWrittenRightAfterBeginAndReadBack() {
    MeasurementRecord r = completed(7, 1000, OptionalLong.of(5000), 300, 301);
    String text = ResultsLogFormat.render(r);
    assertEquals(
        "7 1000 BEGIN "
            + FP
            + "\n"
            + "7 1000 GIVEN 5000\n"
            + "7 1000 MEASR 150\n"
            + "7 1000 MEASR 150\n"
            + "7 1000 BG 10 20\n"
            + "7 1001 MEASR 150\n"
            + "7 1001 MEASR 151\n"
            + "7 1001 BG 10 20\n"
            + "7 1002 END\n",
        text);
    assertEquals(List.of(text.split("\n")), ResultsLogFormat.lines(r));
    assertEquals(List.of(r), ResultsLogFormat.parse(ResultsLogFormat.lines(r)));
  }

  @Test
  void withoutGivenNothingChanges() {
    MeasurementRecord r = completed(7, 1000, OptionalLong.empty(), 300);
    assertEquals(
        "7 1000 BEGIN "
            + FP
            + "\n7 1000 MEASR 150\n7 1000 MEASR 150\n7 1000 BG 10 20\n7 1001 END\n",
        ResultsLogFormat.render(r));
    assertEquals(List.of(r), ResultsLogFormat.parse(ResultsLogFormat.lines(r)));
    // The old five-field constructor is a record without a given capacity.
    assertEquals(
        r, new MeasurementRecord(r.measId(), FP, r.beginTs(), r.seconds(), Optional.empty()));
  }

  @Test
  void failedRecordKeepsItsGivenCapacity() {
    MeasurementRecord r =
        new MeasurementRecord(
            3,
            FP,
            50,
            List.of(),
            Optional.of(new MeasurementRecord.Failed(FailReason.TIMEOUT, "late")),
            OptionalLong.of(42));
    assertEquals(
        "3 50 BEGIN " + FP + "\n3 50 GIVEN 42\n3 50 FAIL TIMEOUT late\n",
        ResultsLogFormat.render(r));
    assertEquals(List.of(r), ResultsLogFormat.parse(ResultsLogFormat.lines(r)));
    assertFalse(MeasurerLimit.limited(r), "a failure is never a limited result");
  }

  @Test
  void anOldGivenLessLogNextToANewOneParses() {
    List<String> lines =
        List.of(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 900",
            "1 100 BG 0 0",
            "1 101 END",
            "2 200 BEGIN " + FP,
            "2 200 GIVEN 1000",
            "2 200 MEASR 900",
            "2 200 BG 0 0",
            "2 201 END");
    List<MeasurementRecord> parsed = ResultsLogFormat.parse(lines);
    assertEquals(2, parsed.size());
    assertEquals(OptionalLong.empty(), parsed.get(0).givenBw());
    assertEquals(OptionalLong.of(1000), parsed.get(1).givenBw());
    assertFalse(MeasurerLimit.limited(parsed.get(0)), "unknown capacity: never limited");
    assertTrue(MeasurerLimit.limited(parsed.get(1)), "900 >= 0.9 x 1000");
  }

  @Test
  void badGivenLinesAreSkippedAndCounted() {
    List<MeasurementRecord> out = new ArrayList<>();
    ResultsLogParser p = new ResultsLogParser(ResultsLogParser.Sink.of(out::add));
    for (String line :
        List.of(
            "9 5 GIVEN 100", // no BEGIN yet: orphan
            "1 5 BEGIN " + FP,
            "1 5 GIVEN 0",
            "1 5 GIVEN -3",
            "1 5 GIVEN 12 13",
            "1 5 GIVEN x",
            "1 5 GIVEN",
            "1 5 MEASR 7",
            "1 5 BG 0 0",
            "1 6 END")) {
      byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      p.line(b, 0, b.length);
    }
    p.endOfFile();
    assertEquals(1, out.size());
    assertEquals(OptionalLong.empty(), out.get(0).givenBw());
    assertEquals(5, p.counts().invalid);
    assertEquals(1, p.counts().orphans);
    assertEquals(0, p.counts().unknownType);
  }

  @Test
  void limitedIsTheMedianOfTheMeasuredSumsAgainstNinetyPercentOfGiven() {
    // Sums 100, 900, 901: median 900 = 0.9 x 1000 exactly.
    assertTrue(MeasurerLimit.limited(completed(1, 1, OptionalLong.of(1000), 901, 100, 900)));
    assertFalse(MeasurerLimit.limited(completed(1, 1, OptionalLong.of(1000), 901, 100, 899)));
    // Even count: the mean of the middle two, (899 + 901) / 2 = 900.
    assertEquals(
        900,
        MeasurerLimit.measured(completed(1, 1, OptionalLong.empty(), 899, 0, 901, 5000).seconds()));
    assertTrue(MeasurerLimit.limited(completed(1, 1, OptionalLong.of(1000), 899, 0, 901, 5000)));
    // The background traffic does not count: only the measurers' recv.
    assertEquals(300, MeasurerLimit.measured(completed(1, 1, OptionalLong.empty(), 300).seconds()));
    assertThrows(IllegalArgumentException.class, () -> MeasurerLimit.measured(List.of()));
  }

  @Test
  void aGivenCapacityBelowOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> completed(1, 1, OptionalLong.of(0), 5));
  }
}
