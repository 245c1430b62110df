package org.flashflow.coord.core;

import static org.flashflow.coord.core.Harness.FP1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.flashflow.coord.control.ControlReply;
import org.flashflow.coord.control.ControlService;
import org.flashflow.coord.v3bw.V3bwTrigger;
import org.flashflow.torctl.model.TorFailure;
import org.flashflow.torctl.model.TorState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The control commands of docs/protocol.md section 8 against a real coordinator on fakes. Lives in
 * the core's test package to share its {@link Harness}; it uses only {@link ControlService}'s
 * public surface.
 */
class ControlServiceTest {
  /** Collects one command's replies. */
  static final class Reply implements ControlReply {
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

    /** The one reply, checking that its last line and only its last line ends it. */
    List<String> only() {
      assertEquals(1, sends.size(), "replies: " + sends);
      List<String> lines = sends.get(0);
      for (int i = 0; i < lines.size() - 1; i++) {
        assertFalse(lines.get(i).startsWith("OK") || lines.get(i).startsWith("ERR"), lines.get(i));
      }
      String last = lines.get(lines.size() - 1);
      assertTrue(last.startsWith("OK") || last.startsWith("ERR"), last);
      return lines;
    }

    String last() {
      List<String> lines = only();
      return lines.get(lines.size() - 1);
    }
  }

  private final Harness h = new Harness(CoordSettings.defaults()).ready();
  private final List<Consumer<V3bwTrigger.Result>> v3bwRequests = new ArrayList<>();
  private final ControlService service =
      new ControlService(h.coord, v3bwRequests::add, () -> List.of("schedule: disabled"));

  private Reply run(String line) {
    Reply r = new Reply();
    service.onLine(line, r);
    return r;
  }

  @Test
  void measureByFingerprintAnswersWhenTorLaunched() {
    h.connect("alice");
    Reply r = run("measure " + FP1.toLowerCase(Locale.ROOT));
    assertEquals(List.of(FP1), h.tor.lookups, "fingerprint upper-cased for the lookup");
    assertTrue(r.sends.isEmpty(), "waits for tor");
    long id = h.lastMeasId();
    h.launch(id);
    assertEquals(List.of("OK meas_id=" + id + " fp=" + FP1), r.only());
  }

  @Test
  void measureByDollarFingerprintOrNicknameAnyCase() {
    h.connect("alice");
    Reply r1 = run("MEASURE $" + FP1);
    h.launch(h.lastMeasId());
    assertTrue(r1.last().startsWith("OK meas_id="));
    Reply r2 = run("  Measure   relay2  ");
    assertEquals(List.of(FP1, "relay2"), h.tor.lookups);
    h.launch(h.lastMeasId());
    assertEquals("OK meas_id=" + h.lastMeasId() + " fp=" + Harness.FP2, r2.last());
  }

  @Test
  void measureRefusals() {
    assertEquals("ERR no measurers connected", run("measure relay1").last());
    h.connect("alice");
    assertEquals("ERR unknown relay nobody (not in tor's consensus)", run("measure nobody").last());
    h.coord.torStateChanged(TorState.NO_FLASHFLOW, "");
    assertEquals(
        "ERR tor does not support FlashFlow (FF_MEAS missing from events/names)",
        run("measure relay1").last());
  }

  @Test
  void measureFailingBeforeLaunchIsAnErr() {
    h.connect("alice");
    Reply r = run("measure relay1");
    long id = h.lastMeasId();
    h.tor.start(id).callback().onError(TorFailure.error("551 Relay busy"));
    assertEquals(
        "ERR measurement " + id + " of " + FP1 + " failed: COORD_START_MEAS: 551 Relay busy",
        r.last());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "measure|ERR measure needs a relay fingerprint or nickname",
        "measure a b|ERR measure takes one relay fingerprint or nickname, not several",
        "measure $ABAB|ERR bad fingerprint \"$ABAB\": expected 40 hex digits",
        "measure $relay1|ERR bad fingerprint \"$relay1\": expected 40 hex digits",
        "measure ABABABABABABABABABABABABABABABABABABABAG"
            + "|ERR bad fingerprint \"ABABABABABABABABABABABABABABABABABABABAG\": expected 40 hex digits",
        "measure nick-name|ERR bad relay name \"nick-name\": expected a 40-hex fingerprint or a"
            + " nickname of 1-19 letters and digits",
        "measure abcdefghijklmnopqrst|ERR bad relay name \"abcdefghijklmnopqrst\": expected a"
            + " 40-hex fingerprint or a nickname of 1-19 letters and digits",
        "frobnicate now|ERR unknown command \"frobnicate\" (try help)",
        "status x|ERR status takes no argument or json",
        "HELP me|ERR help takes no arguments",
        "v3bw now|ERR v3bw takes no arguments",
        "quit now|ERR quit takes no arguments",
      })
  void errors(String line, String expected) {
    h.connect("alice");
    assertEquals(List.of(expected), run(line).only());
    assertTrue(h.tor.lookups.isEmpty());
    assertTrue(v3bwRequests.isEmpty());
  }

  @Test
  void emptyLine() {
    assertEquals(List.of("ERR empty command (try help)"), run("   ").only());
    assertEquals(List.of("ERR empty command (try help)"), run("").only());
  }

  @Test
  void v3bwWrittenOrNot() {
    Reply ok = run("v3bw");
    Reply err = run("V3BW");
    assertTrue(ok.sends.isEmpty());
    v3bwRequests.get(0).accept(new V3bwTrigger.Written(Path.of("/data/v3bw.20200714T200000")));
    v3bwRequests
        .get(1)
        .accept(new V3bwTrigger.NotWritten("no result newer than 3 days; no file written"));
    assertEquals(List.of("OK /data/v3bw.20200714T200000"), ok.only());
    assertEquals(List.of("ERR no result newer than 3 days; no file written"), err.only());
  }

  @Test
  void status() {
    FakeLink alice = h.connect("alice");
    FakeLink bob = h.connect("bob");
    long id = h.startToActive(FP1, alice);
    h.tick();
    h.bg(id, 1, 1);
    h.report(alice, id, 1);
    assertEquals(
        List.of(
            "tor: READY",
            "measurers: 2 connected",
            "  alice from " + alice.remoteAddress() + ", 1 live measurement(s)",
            "  bob from " + bob.remoteAddress() + ", 0 live measurement(s)",
            "measurements: 1 live, 0 completed and 0 failed since start",
            "  meas_id=" + id + " fp=" + FP1 + " ACTIVE 1/30 s measurers=alice",
            "schedule: disabled",
            "OK"),
        run("status").only());
    h.coord.torStateChanged(TorState.LOST, "connection reset");
    h.loop.runPending(); // the FAIL record becomes durable
    List<String> after = run("Status").only();
    assertEquals("tor: LOST (connection reset)", after.get(0));
    assertEquals("measurements: 0 live, 0 completed and 1 failed since start", after.get(4));
  }

  @Test
  void helpListsEveryCommand() {
    List<String> lines = run("help").only();
    assertEquals("OK", lines.get(lines.size() - 1));
    for (String cmd : List.of("measure", "v3bw", "status", "help", "quit")) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(cmd + " ")), cmd);
    }
  }

  @Test
  void quitSaysByeThenCloses() {
    Reply r = run("QUIT");
    assertEquals(List.of("OK bye"), r.only());
    assertTrue(r.closed);
    assertFalse(run("status").closed);
  }
}
