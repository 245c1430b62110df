package org.flashflow.coord.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.flashflow.coord.control.ControlReply;
import org.flashflow.coord.control.ControlService;
import org.flashflow.coord.v3bw.V3bwTrigger;

/**
 * Any lines on the control socket, against a real coordinator on fakes with one measurer: each line
 * gets exactly one reply or none yet (a measurement waiting for tor), a reply's last line and only
 * its last starts with OK or ERR, and nothing throws. Seeds: ControlCommandFuzzTestInputs (the
 * commands of docs/protocol.md section 8).
 */
class ControlCommandFuzzTest {
  /** One command's replies. */
  private static final class Reply implements ControlReply {
    final List<List<String>> sends = new ArrayList<>();
    boolean closed;

    @Override
    public void send(List<String> lines) {
      assertFalse(closed, "send after close");
      sends.add(List.copyOf(lines));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @FuzzTest
  void everyLineGetsOneWellFormedReply(byte[] data) {
    Harness h = new Harness(CoordSettings.defaults()).ready();
    h.connect("alice");
    List<java.util.function.Consumer<V3bwTrigger.Result>> v3bw = new ArrayList<>();
    ControlService service = new ControlService(h.coord, v3bw::add, List::of);
    for (String line : new String(data, UTF_8).split("\n", -1)) {
      Reply r = new Reply();
      service.onLine(line, r);
      assertTrue(r.sends.size() <= 1, "replies: " + r.sends);
      for (List<String> lines : r.sends) {
        assertFalse(lines.isEmpty());
        for (int i = 0; i < lines.size(); i++) {
          String l = lines.get(i);
          boolean ends = l.startsWith("OK") || l.startsWith("ERR");
          assertTrue(ends == (i == lines.size() - 1), "line " + i + " of " + lines);
          assertFalse(l.contains("\n") || l.contains("\r"), "a line break in " + l);
        }
      }
      v3bw.forEach(c -> c.accept(new V3bwTrigger.NotWritten("fuzz")));
      v3bw.clear();
    }
  }
}
