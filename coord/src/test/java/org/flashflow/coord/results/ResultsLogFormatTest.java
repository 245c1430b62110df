package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.Test;

public class ResultsLogFormatTest {
  public static final String FP = "ABABABABABABABABABABABABABABABABABABABAB";

  public static final MeasurementRecord COMPLETED =
      new MeasurementRecord(
          7,
          FP,
          1_600_000_000L,
          List.of(
              new MeasurementRecord.Second(List.of(100L, 200L), 50, 100),
              new MeasurementRecord.Second(List.of(110L, 210L), 60, 106)),
          Optional.empty());

  public static final String COMPLETED_TEXT =
      "7 1600000000 BEGIN ABABABABABABABABABABABABABABABABABABABAB\n"
          + "7 1600000000 MEASR 100\n"
          + "7 1600000000 MEASR 200\n"
          + "7 1600000000 BG 50 100\n"
          + "7 1600000001 MEASR 110\n"
          + "7 1600000001 MEASR 210\n"
          + "7 1600000001 BG 60 106\n"
          + "7 1600000002 END\n";

  public static MeasurementRecord failed(
      long id, String fp, long ts, FailReason reason, String detail) {
    return new MeasurementRecord(
        id, fp, ts, List.of(), Optional.of(new MeasurementRecord.Failed(reason, detail)));
  }

  @Test
  void rendersCompletedMeasurement() {
    assertEquals(COMPLETED_TEXT, ResultsLogFormat.render(COMPLETED));
  }

  @Test
  void linesAreTheRenderedLinesWithoutTerminators() {
    assertEquals(List.of(COMPLETED_TEXT.split("\n")), ResultsLogFormat.lines(COMPLETED));
  }

  @Test
  void rendersFailureWithDetailOnOneLine() {
    MeasurementRecord r =
        failed(4294967295L, FP, 1_600_000_005L, FailReason.TOR_ERROR, " tor said\r\n552 no\n");
    assertEquals(
        "4294967295 1600000005 BEGIN "
            + FP
            + "\n4294967295 1600000005 FAIL TOR_ERROR tor said  552 no\n",
        ResultsLogFormat.render(r));
  }

  @Test
  void rendersFailureWithoutDetailWithoutTrailingSpace() {
    assertEquals(
        "1 5 BEGIN " + FP + "\n1 5 FAIL SHUTDOWN\n",
        ResultsLogFormat.render(failed(1, FP, 5, FailReason.SHUTDOWN, "")));
  }

  @Test
  void rendersFailureAfterSomeSeconds() {
    MeasurementRecord r =
        new MeasurementRecord(
            3,
            FP,
            10,
            List.of(new MeasurementRecord.Second(List.of(9L), 1, 3)),
            Optional.of(new MeasurementRecord.Failed(FailReason.REPORTS_STOPPED, "after 1 s")));
    assertEquals(
        "3 10 BEGIN " + FP + "\n3 10 MEASR 9\n3 10 BG 1 3\n3 11 FAIL REPORTS_STOPPED after 1 s\n",
        ResultsLogFormat.render(r));
    assertEquals(List.of(r), ResultsLogFormat.parse(ResultsLogFormat.lines(r)));
  }

  @Test
  void parsesWhatItRenders() {
    MeasurementRecord fail = failed(8, FP, 1_600_000_100L, FailReason.MEASURER_LOST, "alice gone");
    List<String> lines = new ArrayList<>(ResultsLogFormat.lines(COMPLETED));
    lines.addAll(ResultsLogFormat.lines(fail));
    assertEquals(List.of(COMPLETED, fail), ResultsLogFormat.parse(lines));
  }

  @Test
  void parseSkipsCommentsBlankUnknownAndInvalidLines() {
    List<String> lines =
        List.of(
            "# results log",
            "",
            "   ",
            "7 1600000000 BEGIN " + FP,
            "7 1600000000 MEASR 100",
            "7 1600000000 NEWTYPE 1 2 3",
            "7 1600000000 MEASR 200",
            "7 1600000000 MEASR x",
            "7 1600000000 MEASR 5 6",
            "7 1600000000 BG 50",
            "7 1600000000 BG 50 100",
            "7 1600000001 MEASR 110",
            "7 1600000001 MEASR 210",
            "7 1600000001 BG 60 106",
            "7 1600000002 END");
    assertEquals(List.of(COMPLETED), ResultsLogFormat.parse(lines));
  }

  @Test
  void parseToleratesTabsCrAndLowerCaseFingerprint() {
    List<String> lines =
        List.of(
            "5\t10\tBEGIN\t" + FP.toLowerCase(java.util.Locale.ROOT) + "\r",
            "5 10  MEASR   9\r",
            "5 10 BG 1 3",
            "5 11 END\r");
    MeasurementRecord expected =
        new MeasurementRecord(
            5, FP, 10, List.of(new MeasurementRecord.Second(List.of(9L), 1, 3)), Optional.empty());
    assertEquals(List.of(expected), ResultsLogFormat.parse(lines));
  }

  @Test
  void parseDropsMeasurementWithoutEndAndRestartsReusedId() {
    List<String> lines =
        List.of(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 5",
            "1 100 BG 0 1",
            // never ended; the id is begun again later
            "2 150 BEGIN " + FP,
            "2 150 MEASR 6",
            "1 200 BEGIN " + FP,
            "1 200 MEASR 7",
            "1 200 BG 0 2",
            "1 201 END",
            "1 300 END", // orphan: nothing open under id 1
            "9 300 MEASR 1"); // orphan
    List<MeasurementRecord> got = ResultsLogFormat.parse(lines);
    assertEquals(1, got.size());
    assertEquals(200, got.get(0).beginTs());
    assertEquals(List.of(new MeasurementRecord.Second(List.of(7L), 0, 2)), got.get(0).seconds());
  }

  @Test
  void parseRejectsUnknownFailReasonAndBadFingerprint() {
    List<String> lines =
        List.of(
            "1 100 BEGIN " + FP,
            "1 100 FAIL NOT_A_REASON whatever",
            "2 100 BEGIN ABAB",
            "2 101 END",
            "3 100 BEGIN " + FP.replace('A', 'G'),
            "3 101 END",
            "4 -1 BEGIN " + FP,
            "4 0 FAIL TIMEOUT");
    assertEquals(List.of(failed(4, FP, -1, FailReason.TIMEOUT, "")), ResultsLogFormat.parse(lines));
  }

  @Test
  void parseTakesLongMaxValueAndNotOneMore() {
    List<String> lines =
        List.of(
            "1 100 BEGIN " + FP,
            "1 100 MEASR 9223372036854775807",
            "1 100 MEASR 9223372036854775808",
            "1 100 MEASR 9223372036854775810",
            "1 100 BG 0 0",
            "1 101 END");
    assertEquals(
        List.of(new MeasurementRecord.Second(List.of(Long.MAX_VALUE), 0, 0)),
        ResultsLogFormat.parse(lines).get(0).seconds());
  }

  @Test
  void parseRejectsNumberOverflow() {
    List<String> lines =
        List.of(
            "1 100 BEGIN " + FP, "1 100 MEASR 99999999999999999999", "1 100 BG 0 0", "1 101 END");
    // the MEASR line is skipped, so the record comes back with one second and no measurer
    assertEquals(
        List.of(0),
        ResultsLogFormat.parse(lines).stream()
            .map(r -> r.seconds().get(0).measurerRecv().size())
            .toList());
  }
}
