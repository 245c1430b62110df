package org.flashflow.coord.results;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a byte stream into {@code \n}-terminated lines for a {@link ResultsLogParser} without
 * decoding or copying them: the parser sees slices of one reused buffer. A final line with no
 * {@code \n} is reported as torn, never parsed, because a crash mid-append leaves exactly that. A
 * line longer than {@link #MAX_LINE} bytes is skipped as invalid rather than held in memory.
 */
final class LineSplitter {
  static final int MAX_LINE = 1 << 20;
  private static final int INITIAL_BUFFER = 1 << 16;

  private LineSplitter() {}

  static void split(InputStream in, ResultsLogParser parser) throws IOException {
    byte[] buf = new byte[INITIAL_BUFFER];
    int len = 0; // bytes in buf[0, len): at most one partial line
    boolean overlong = false;
    while (true) {
      if (len == buf.length) {
        if (buf.length < MAX_LINE) {
          buf = Arrays.copyOf(buf, 2 * buf.length);
        } else {
          overlong = true; // drop what we have, keep looking for the end of the line
          len = 0;
        }
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        break;
      }
      int limit = len + n;
      int start = 0;
      if (overlong) {
        int nl = len;
        while (nl < limit && buf[nl] != '\n') {
          nl++;
        }
        if (nl == limit) {
          len = limit;
          continue;
        }
        parser.overlongLine();
        overlong = false;
        start = nl + 1;
        len = start;
      }
      start = lines(buf, start, len, limit, parser);
      len = limit - start;
      if (start > 0 && len > 0) {
        System.arraycopy(buf, start, buf, 0, len);
      }
    }
    if (len > 0 || overlong) {
      parser.tornLine();
    }
  }

  /**
   * Hands every whole line of {@code buf[start, limit)} to the parser, looking for line ends from
   * {@code from} on (before it there are none), and returns where the partial last line starts. The
   * hot loop, kept apart from the reads so that the JIT compiles it on its own: a new kind of
   * stream (the next file a {@code .gz}) then costs no recompilation of it.
   */
  private static int lines(byte[] buf, int start, int from, int limit, ResultsLogParser parser) {
    for (int i = from; i < limit; i++) {
      if (buf[i] == '\n') {
        parser.line(buf, start, i);
        start = i + 1;
      }
    }
    return start;
  }
}
