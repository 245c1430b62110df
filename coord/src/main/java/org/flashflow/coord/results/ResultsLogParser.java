package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * Turns results-log lines back into measurements, one line at a time, keeping state only for
 * measurements begun and not yet ended. Works on raw bytes and splits on blanks by hand, because
 * the reader must get through millions of lines in a few seconds: no regex, no String per line.
 *
 * <p>Lines must have exactly the fields of their type; anything else on a known type is invalid and
 * skipped. MEASR and BG lines belong to the second {@code ts - begin_ts} (docs/protocol.md section
 * 6), whatever their order in the file: the lines of a second may come in any order, before or
 * after those of other seconds, interleaved with other measurements. The measurement's seconds are
 * 0 to the largest second of any of its lines, and per second the MEASR values are summed (one line
 * per measurer) and each BG line adds {@code min(claimed, max_bg)}; a second with no line counts as
 * 0. The rules are in docs/protocol.md section 6.2. Not thread-safe; one per stream.
 */
final class ResultsLogParser {
  private static final int FP_LENGTH = 40;

  /**
   * A MEASR or BG line this many seconds or more after its BEGIN is invalid: no measurement lasts a
   * day ({@code meas_duration} is at most an hour), and the limit keeps one bad {@code ts} from
   * making the parser hold a huge measurement.
   */
  static final int MAX_SECONDS = 86_400;

  /** {@code Long.MAX_VALUE} is {@code MAX_TENTH * 10 + MAX_LAST_DIGIT}: no division per digit. */
  private static final long MAX_TENTH = Long.MAX_VALUE / 10;

  private static final long MAX_LAST_DIGIT = Long.MAX_VALUE % 10;

  /** Where the parser puts each measurement that ended (END or FAIL). */
  interface Sink {
    /**
     * {@code m} ended; its {@link PendingMeasurement#failure} says how. Valid only during the call:
     * the parser reuses it.
     */
    void ended(PendingMeasurement m);

    /** Each ended measurement as a record. */
    static Sink of(Consumer<MeasurementRecord> records) {
      return m -> records.accept(m.record());
    }
  }

  private final Sink sink;
  private final Map<Long, PendingMeasurement> pending = new HashMap<>();
  private PendingMeasurement last;

  /** One ended measurement's, handed back after the sink returned, for the next BEGIN. */
  private PendingMeasurement spare;

  private final Counts counts = new Counts();

  private byte[] buf = new byte[0];
  private int pos;
  private int end;
  private boolean ok;

  ResultsLogParser(Sink sink) {
    this.sink = sink;
  }

  Counts counts() {
    return counts;
  }

  /** One line, {@code b[from, to)}, without its {@code \n}; a trailing CR is ignored. */
  void line(byte[] b, int from, int to) {
    counts.lines++;
    buf = b;
    pos = from;
    end = (to > from && b[to - 1] == '\r') ? to - 1 : to;
    ok = true;
    skipBlanks();
    if (pos == end || buf[pos] == '#') {
      counts.comments++;
      return;
    }
    long id = nextNumber(false);
    long ts = nextNumber(true);
    int typeStart = skipBlanks();
    int typeEnd = skipToken();
    if (!ok || typeEnd == typeStart) {
      counts.invalid++;
      return;
    }
    if (is(typeStart, typeEnd, ResultsLogFormat.MEASR)) {
      measr(id, ts);
    } else if (is(typeStart, typeEnd, ResultsLogFormat.BG)) {
      bg(id, ts);
    } else if (is(typeStart, typeEnd, ResultsLogFormat.BEGIN)) {
      begin(id, ts);
    } else if (is(typeStart, typeEnd, ResultsLogFormat.GIVEN)) {
      given(id);
    } else if (is(typeStart, typeEnd, ResultsLogFormat.END)) {
      endRecord(id);
    } else if (is(typeStart, typeEnd, ResultsLogFormat.FAIL)) {
      fail(id);
    } else {
      counts.unknownType++;
    }
  }

  /** A line too long to be one of ours was skipped unread. */
  void overlongLine() {
    counts.lines++;
    counts.invalid++;
  }

  /** The stream ended in a line without {@code \n}: a write torn by a crash. */
  void tornLine() {
    counts.lines++;
    counts.torn++;
  }

  /** Measurements begun and not yet ended. */
  int open() {
    return pending.size();
  }

  /** The stream ended: measurements still open will never end here. */
  void endOfFile() {
    counts.incomplete += pending.size();
    pending.clear();
    last = null;
  }

  private void begin(long id, long ts) {
    int fpStart = skipBlanks();
    int fpEnd = skipToken();
    if (fpEnd - fpStart != FP_LENGTH || !isHex(fpStart, fpEnd) || !atEnd()) {
      counts.invalid++;
      return;
    }
    String fp = new String(buf, fpStart, FP_LENGTH, ISO_8859_1).toUpperCase(Locale.ROOT);
    PendingMeasurement p = spare != null ? spare : new PendingMeasurement();
    spare = null;
    p.begin(id, fp, ts);
    if (pending.put(id, p) != null) {
      counts.incomplete++; // the same id again before an END: the first one never ended
    }
    last = p;
  }

  /** The measurer capacity given (bytes/s, at least 1); belongs before the first report. */
  private void given(long id) {
    long given = nextNumber(false);
    if (!ok || !atEnd() || given < 1) {
      counts.invalid++;
      return;
    }
    PendingMeasurement p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    p.givenBw(given);
  }

  private void measr(long id, long ts) {
    long recv = nextNumber(false);
    if (!ok || !atEnd()) {
      counts.invalid++;
      return;
    }
    PendingMeasurement p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    int second = second(p, ts);
    if (second < 0) {
      counts.invalid++;
      return;
    }
    p.measr(second, recv);
  }

  private void bg(long id, long ts) {
    long claimed = nextNumber(false);
    long maxBg = nextNumber(false);
    if (!ok || !atEnd()) {
      counts.invalid++;
      return;
    }
    PendingMeasurement p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    int second = second(p, ts);
    if (second < 0) {
      counts.invalid++;
      return;
    }
    p.bg(second, claimed, maxBg);
  }

  /** {@code ts - begin_ts}, or -1 if that is before BEGIN or {@link #MAX_SECONDS} or more after. */
  private static int second(PendingMeasurement p, long ts) {
    long second = ts - p.beginTs();
    if (ts < p.beginTs() || second < 0 || second >= MAX_SECONDS) {
      return -1; // the second test catches a difference that overflowed
    }
    return (int) second;
  }

  private void endRecord(long id) {
    if (!atEnd()) {
      counts.invalid++;
      return;
    }
    finish(id, Optional.empty());
  }

  private void fail(long id) {
    int reasonStart = skipBlanks();
    int reasonEnd = skipToken();
    FailReason reason = failReason(reasonStart, reasonEnd);
    if (reason == null) {
      counts.invalid++;
      return;
    }
    int detailStart = skipBlanks();
    // As the writer makes it (a CR, which only splits lines for other readers, becomes a space), so
    // that a record read and written again is the same record.
    String detail =
        ResultsLogFormat.singleLine(new String(buf, detailStart, end - detailStart, UTF_8));
    finish(id, Optional.of(new MeasurementRecord.Failed(reason, detail)));
  }

  private void finish(long id, Optional<MeasurementRecord.Failed> failure) {
    PendingMeasurement p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    pending.remove(id);
    last = null;
    if (failure.isEmpty()) {
      counts.completed++;
    } else {
      counts.failed++;
    }
    p.failure(failure);
    sink.ended(p);
    spare = p;
  }

  /** Each measurement's lines are written together, so the last one found is nearly always it. */
  private PendingMeasurement find(long id) {
    if (last != null && last.measId() == id) {
      return last;
    }
    PendingMeasurement p = pending.get(id);
    if (p != null) {
      last = p;
    }
    return p;
  }

  private FailReason failReason(int from, int to) {
    if (to == from) {
      return null;
    }
    String name = new String(buf, from, to - from, ISO_8859_1);
    for (FailReason r : FailReason.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  /** Parses the next token as a decimal long; clears {@link #ok} if it is not one. */
  private long nextNumber(boolean signed) {
    // Locals, not the fields, in the loops: the JIT keeps them in registers.
    byte[] b = buf;
    int e = end;
    int p = pos;
    while (p < e && isBlank(b[p])) {
      p++;
    }
    boolean negative = signed && p < e && b[p] == '-';
    if (negative) {
      p++;
    }
    int start = p;
    long value = 0;
    // 18 digits cannot overflow a long, so the common case needs no overflow test per digit.
    int safe = Math.min(e, p + 18);
    while (p < safe) {
      int d = b[p] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      value = value * 10 + d;
      p++;
    }
    while (p < e) {
      int d = b[p] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      if (value >= MAX_TENTH && (value > MAX_TENTH || d > MAX_LAST_DIGIT)) {
        ok = false; // value * 10 + d would pass Long.MAX_VALUE
        pos = p;
        return 0;
      }
      value = value * 10 + d;
      p++;
    }
    if (p == start || (p < e && !isBlank(b[p]))) {
      ok = false;
    }
    pos = p;
    return negative ? -value : value;
  }

  private int skipBlanks() {
    byte[] b = buf;
    int e = end;
    int p = pos;
    while (p < e && isBlank(b[p])) {
      p++;
    }
    pos = p;
    return p;
  }

  private int skipToken() {
    byte[] b = buf;
    int e = end;
    int p = pos;
    while (p < e && !isBlank(b[p])) {
      p++;
    }
    pos = p;
    return p;
  }

  private boolean atEnd() {
    return skipBlanks() == end;
  }

  private boolean is(int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (buf[from + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean isHex(int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = buf[i];
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }

  /** What the parser saw; the reader turns these into {@link ReadStats}. */
  static final class Counts {
    long lines;
    long comments;
    long completed;
    long failed;
    long invalid;
    long torn;
    long unknownType;
    long orphans;
    long incomplete;

    void add(Counts o) {
      lines += o.lines;
      comments += o.comments;
      completed += o.completed;
      failed += o.failed;
      invalid += o.invalid;
      torn += o.torn;
      unknownType += o.unknownType;
      orphans += o.orphans;
      incomplete += o.incomplete;
    }
  }
}
