package org.flashflow.coord.results;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * Turns results-log lines back into measurements, one line at a time, keeping state only for
 * measurements begun and not yet ended. Works on raw bytes and splits on blanks by hand, because
 * the reader must get through millions of lines in a few seconds: no regex, no String per line.
 *
 * <p>Lines must have exactly the fields of their type; anything else on a known type is invalid and
 * skipped. Reports are indexed by position, as in the estimate: the {@code ts} of MEASR and BG
 * lines is checked to be a number and otherwise ignored. Not thread-safe; one per stream.
 */
final class ResultsLogParser {
  private static final int FP_LENGTH = 40;

  private final Consumer<MeasurementRecord> sink;
  private final Map<Long, Pending> pending = new HashMap<>();
  private Pending last;

  private final Counts counts = new Counts();

  private byte[] buf = new byte[0];
  private int pos;
  private int end;
  private boolean ok;

  ResultsLogParser(Consumer<MeasurementRecord> sink) {
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
      measr(id);
    } else if (is(typeStart, typeEnd, ResultsLogFormat.BG)) {
      bg(id);
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
    Pending p = new Pending(id, fp, ts);
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
    Pending p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    p.given = OptionalLong.of(given);
  }

  private void measr(long id) {
    long recv = nextNumber(false);
    if (!ok || !atEnd()) {
      counts.invalid++;
      return;
    }
    Pending p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    p.addRecv(recv);
  }

  private void bg(long id) {
    long claimed = nextNumber(false);
    long maxBg = nextNumber(false);
    if (!ok || !atEnd()) {
      counts.invalid++;
      return;
    }
    Pending p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    p.endSecond(claimed, maxBg);
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
    String detail = new String(buf, detailStart, end - detailStart, UTF_8).strip();
    finish(id, Optional.of(new MeasurementRecord.Failed(reason, detail)));
  }

  private void finish(long id, Optional<MeasurementRecord.Failed> failure) {
    Pending p = find(id);
    if (p == null) {
      counts.orphans++;
      return;
    }
    pending.remove(id);
    last = null;
    if (p.nRecv != 0) {
      counts.invalid++; // MEASR lines without their BG line: the record is not what was written
      return;
    }
    if (failure.isEmpty()) {
      counts.completed++;
    } else {
      counts.failed++;
    }
    sink.accept(new MeasurementRecord(p.measId, p.fp, p.beginTs, p.seconds, failure, p.given));
  }

  /** Each measurement's lines are written together, so the last one found is nearly always it. */
  private Pending find(long id) {
    if (last != null && last.measId == id) {
      return last;
    }
    Pending p = pending.get(id);
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
    skipBlanks();
    boolean negative = signed && pos < end && buf[pos] == '-';
    if (negative) {
      pos++;
    }
    int start = pos;
    long value = 0;
    while (pos < end) {
      int d = buf[pos] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      if (value > (Long.MAX_VALUE - d) / 10) {
        ok = false;
        return 0;
      }
      value = value * 10 + d;
      pos++;
    }
    if (pos == start || (pos < end && !isBlank(buf[pos]))) {
      ok = false;
    }
    return negative ? -value : value;
  }

  private int skipBlanks() {
    while (pos < end && isBlank(buf[pos])) {
      pos++;
    }
    return pos;
  }

  private int skipToken() {
    while (pos < end && !isBlank(buf[pos])) {
      pos++;
    }
    return pos;
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
  }

  private static final class Pending {
    final long measId;
    final String fp;
    final long beginTs;
    final List<MeasurementRecord.Second> seconds = new ArrayList<>();
    Long[] recv = new Long[4];
    int nRecv;
    OptionalLong given = OptionalLong.empty();

    Pending(long measId, String fp, long beginTs) {
      this.measId = measId;
      this.fp = fp;
      this.beginTs = beginTs;
    }

    void addRecv(long value) {
      if (nRecv == recv.length) {
        recv = Arrays.copyOf(recv, 2 * nRecv);
      }
      recv[nRecv++] = value;
    }

    void endSecond(long claimed, long maxBg) {
      List<Long> measurers = List.of(Arrays.copyOf(recv, nRecv));
      seconds.add(new MeasurementRecord.Second(measurers, claimed, maxBg));
      nRecv = 0;
    }
  }
}
