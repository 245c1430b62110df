package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurerLimit;
import org.junit.jupiter.api.Test;

/**
 * How MEASR and BG lines become seconds (docs/protocol.md section 6.2): by {@code ts - begin_ts},
 * never by their order in the file.
 */
class ResultsLogSecondsTest {
  private static final String FP = ResultsLogFormatTest.FP;

  private static MeasurementRecord.Second second(long claimed, long maxBg, Long... recv) {
    return new MeasurementRecord.Second(List.of(recv), claimed, maxBg);
  }

  private static List<MeasurementRecord.Second> seconds(String... lines) {
    List<MeasurementRecord> records = ResultsLogFormat.parse(List.of(lines));
    assertEquals(1, records.size(), () -> "one record from " + List.of(lines));
    return records.get(0).seconds();
  }

  @Test
  void bgLineBeforeTheMeasrLinesOfItsSecond() {
    assertEquals(
        List.of(second(10, 50, 150L, 160L), second(20, 60, 180L)),
        seconds(
            "1 100 BEGIN " + FP,
            "1 100 BG 10 50",
            "1 100 MEASR 150",
            "1 101 BG 20 60",
            "1 100 MEASR 160",
            "1 101 MEASR 180",
            "1 102 END"));
  }

  @Test
  void allMeasrLinesThenAllBgLinesAsThePythonCoordinatorWrites() {
    assertEquals(
        List.of(second(1, 100, 300L, 400L), second(2, 110, 330L, 440L)),
        seconds(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 300",
            "1 101 MEASR 330",
            "1 100 MEASR 400",
            "1 101 MEASR 440",
            "1 100 BG 1 100",
            "1 101 BG 2 110",
            "1 101 END")); // END at the last second, as the Python coordinator writes it
  }

  @Test
  void interleavedMeasurementsWithSecondsBackwards() {
    List<MeasurementRecord> records =
        ResultsLogFormat.parse(
            List.of(
                "1 100 BEGIN " + FP,
                "2 500 BEGIN " + FP,
                "1 102 MEASR 3",
                "2 501 BG 0 9",
                "1 102 BG 0 3",
                "2 500 MEASR 8",
                "1 101 BG 0 2",
                "2 501 MEASR 9",
                "1 101 MEASR 2",
                "1 100 MEASR 1",
                "2 500 BG 0 8",
                "1 100 BG 0 1",
                "2 502 END",
                "1 103 END"));
    assertEquals(List.of(2L, 1L), records.stream().map(MeasurementRecord::measId).toList());
    assertEquals(List.of(second(0, 8, 8L), second(0, 9, 9L)), records.get(0).seconds());
    assertEquals(
        List.of(second(0, 1, 1L), second(0, 2, 2L), second(0, 3, 3L)), records.get(1).seconds());
  }

  @Test
  void secondWithoutLinesCountsZero() {
    List<MeasurementRecord.Second> s =
        seconds(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 900",
            "1 100 BG 0 300",
            "1 103 MEASR 600",
            "1 103 BG 0 200",
            "1 104 END");
    assertEquals(
        List.of(second(0, 300, 900L), second(0, 0), second(0, 0), second(0, 200, 600L)), s);
    assertEquals(300, Estimate.estimate(s)); // totals 900, 0, 0, 600: (0 + 600) / 2
  }

  @Test
  void measrWithoutBgBelievesNoBackgroundAndBgWithoutMeasrKeepsItsLine() {
    List<MeasurementRecord.Second> s =
        seconds(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 900",
            "1 100 MEASR 100",
            "1 101 BG 500 40",
            "1 102 END");
    assertEquals(List.of(second(0, 0, 900L, 100L), second(500, 40)), s);
    assertEquals(List.of(1000L, 40L), s.stream().map(Estimate::total).toList());
  }

  @Test
  void severalBgLinesInOneSecondAddWhatEachLetsUsBelieve() {
    List<MeasurementRecord.Second> s =
        seconds(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 900",
            "1 100 BG 500 40",
            "1 100 BG 10 300",
            "1 100 BG 7 0",
            "1 101 END");
    // min(500, 40) + min(10, 300) + min(7, 0) = 50 believed, of caps 40 + 300 + 0
    assertEquals(List.of(second(50, 340, 900L)), s);
    assertEquals(950, Estimate.total(s.get(0)));
  }

  @Test
  void linesBeforeBeginOrADayAfterItAreSkipped() {
    List<String> lines =
        List.of(
            "1 100 BEGIN " + FP,
            "1 99 MEASR 5",
            "1 99 BG 0 5",
            "1 " + (100 + ResultsLogParser.MAX_SECONDS) + " MEASR 5",
            "1 -9223372036854775807 BG 0 1",
            "1 100 MEASR 7",
            "1 100 BG 1 2",
            "1 101 END");
    List<MeasurementRecord> out = new ArrayList<>();
    ResultsLogParser p = new ResultsLogParser(ResultsLogParser.Sink.of(out::add));
    lines.forEach(l -> p.line(l.getBytes(UTF_8), 0, l.length()));
    p.endOfFile();
    assertEquals(List.of(second(1, 2, 7L)), out.get(0).seconds());
    assertEquals(4, p.counts().invalid);
  }

  @Test
  void lastSecondADayAfterBeginIsStillRead() {
    List<MeasurementRecord.Second> s =
        seconds(
            "1 100 BEGIN " + FP,
            "1 " + (100 + ResultsLogParser.MAX_SECONDS - 1) + " MEASR 5",
            "1 101 END");
    assertEquals(ResultsLogParser.MAX_SECONDS, s.size());
    assertEquals(second(0, 0, 5L), s.get(s.size() - 1));
  }

  /**
   * The reader's shortcut ({@link PendingMeasurement#estimate}, {@link
   * PendingMeasurement#measured}) gives what the record gives, for lines in any order, with gaps,
   * missing and repeated BG lines.
   */
  @Test
  void estimateWithoutRecordEqualsEstimateOfRecord() {
    Random random = new Random(99);
    for (int m = 0; m < 500; m++) {
      List<String> body = new ArrayList<>();
      int seconds = 1 + random.nextInt(12);
      for (int s = 0; s < seconds; s++) {
        if (random.nextInt(6) == 0) {
          continue; // a gap, or only some lines below
        }
        for (int k = random.nextInt(4); k > 0; k--) {
          body.add("7 " + (1000 + s) + " MEASR " + random.nextInt(5000));
        }
        for (int k = random.nextInt(3); k > 0; k--) {
          body.add("7 " + (1000 + s) + " BG " + random.nextInt(3000) + " " + random.nextInt(2000));
        }
      }
      Collections.shuffle(body, random);
      List<String> lines = new ArrayList<>();
      lines.add("7 1000 BEGIN " + FP);
      lines.addAll(body);
      lines.add("7 " + (1000 + seconds) + " END");
      List<String> failures = new ArrayList<>();
      ResultsLogParser p =
          new ResultsLogParser(
              pending -> {
                MeasurementRecord r = pending.record();
                if (r.seconds().isEmpty()) {
                  return;
                }
                if (Estimate.estimate(r) != pending.estimate()
                    || MeasurerLimit.measured(r.seconds()) != pending.measured()) {
                  failures.add(String.join("\n", lines));
                }
              });
      lines.forEach(l -> p.line(l.getBytes(UTF_8), 0, l.length()));
      assertEquals(List.of(), failures);
      assertEquals(1, p.counts().completed);
    }
  }

  @Test
  void writersOwnOrderStillParsesToTheSameRecord() {
    MeasurementRecord r =
        new MeasurementRecord(
            5,
            FP,
            77,
            List.of(second(1, 2, 3L, 4L, 5L), second(0, 0), second(9, 8)),
            Optional.empty());
    assertEquals(List.of(r), ResultsLogFormat.parse(ResultsLogFormat.lines(r)));
  }
}
