package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * The results-log lines of docs/protocol.md section 6, both ways. One measurement renders as its
 * BEGIN line, then (when the record has one) a GIVEN line with the measurer capacity given to it,
 * bytes/s (our extension: a reader that does not know the type skips it), then per second {@code i}
 * one MEASR line per measurer and one BG line (all with {@code ts = begin_ts + i}), then END or
 * FAIL with {@code ts = begin_ts + number of seconds}: the second after the last report, so
 * rendering is a pure function of the record.
 */
public final class ResultsLogFormat {
  static final String BEGIN = "BEGIN";
  static final String GIVEN = "GIVEN";
  static final String MEASR = "MEASR";
  static final String BG = "BG";
  static final String END = "END";
  static final String FAIL = "FAIL";

  private ResultsLogFormat() {}

  /** All lines of {@code record}, each ending in {@code \n}, ready to append in one write. */
  public static String render(MeasurementRecord record) {
    StringBuilder sb = new StringBuilder(64 + 40 * record.seconds().size());
    appendTo(sb, record);
    return sb.toString();
  }

  /** Appends all lines of {@code record} to {@code sb}, each ending in {@code \n}. */
  public static void appendTo(StringBuilder sb, MeasurementRecord record) {
    long id = record.measId();
    long ts = record.beginTs();
    prefix(sb, id, ts).append(BEGIN).append(' ').append(record.relayFp()).append('\n');
    if (record.givenBw().isPresent()) {
      prefix(sb, id, ts).append(GIVEN).append(' ').append(record.givenBw().getAsLong());
      sb.append('\n');
    }
    List<MeasurementRecord.Second> seconds = record.seconds();
    for (int i = 0; i < seconds.size(); i++) {
      MeasurementRecord.Second s = seconds.get(i);
      for (long recv : s.measurerRecv()) {
        prefix(sb, id, ts + i).append(MEASR).append(' ').append(recv).append('\n');
      }
      prefix(sb, id, ts + i).append(BG).append(' ').append(s.claimedBg());
      sb.append(' ').append(s.maxBg()).append('\n');
    }
    prefix(sb, id, ts + seconds.size());
    if (record.failure().isEmpty()) {
      sb.append(END).append('\n');
    } else {
      MeasurementRecord.Failed failed = record.failure().get();
      sb.append(FAIL).append(' ').append(failed.reason().name());
      String detail = singleLine(failed.detail());
      if (!detail.isEmpty()) {
        sb.append(' ').append(detail);
      }
      sb.append('\n');
    }
  }

  /** The lines of {@code record}, without line terminators. */
  public static List<String> lines(MeasurementRecord record) {
    return Arrays.asList(render(record).split("\n", -1)).subList(0, lineCount(record));
  }

  /**
   * The complete measurements (END or FAIL) among {@code lines}, in the order they ended; skips
   * what a reader of the log file skips (docs/protocol.md section 6). For tests and small inputs;
   * the log file itself is streamed by {@link ResultsLogReader}.
   */
  public static List<MeasurementRecord> parse(List<String> lines) {
    List<MeasurementRecord> out = new ArrayList<>();
    ResultsLogParser parser = new ResultsLogParser(ResultsLogParser.Sink.of(out::add));
    for (String line : lines) {
      byte[] bytes = line.getBytes(UTF_8);
      parser.line(bytes, 0, bytes.length);
    }
    parser.endOfFile();
    return out;
  }

  /**
   * {@code detail} as one line of free text: CR and LF become spaces (a line break would split the
   * record), and outer whitespace goes (the reader could not tell it apart from the separator).
   */
  public static String singleLine(String detail) {
    return detail.replace('\r', ' ').replace('\n', ' ').strip();
  }

  private static int lineCount(MeasurementRecord record) {
    int n = record.givenBw().isPresent() ? 3 : 2;
    for (MeasurementRecord.Second s : record.seconds()) {
      n += s.measurerRecv().size() + 1;
    }
    return n;
  }

  private static StringBuilder prefix(StringBuilder sb, long id, long ts) {
    return sb.append(id).append(' ').append(ts).append(' ');
  }
}
