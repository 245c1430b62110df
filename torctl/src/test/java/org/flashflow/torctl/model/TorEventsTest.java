package org.flashflow.torctl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.flashflow.torctl.Samples;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TorEventsTest {

  @Test
  void stockTorCircEventsParse() throws IOException {
    List<TorEvent> events =
        Samples.lines("circ-events.txt").stream()
            .filter(l -> l.startsWith("650 "))
            .map(TorEvents::parseLine)
            .map(Optional::orElseThrow)
            .toList();
    assertEquals(
        List.of(
            new CircEvent(10, CircStatus.LAUNCHED, Optional.empty()),
            new CircEvent(10, CircStatus.EXTENDED, Optional.empty()),
            new CircEvent(10, CircStatus.BUILT, Optional.empty()),
            new CircEvent(10, CircStatus.CLOSED, Optional.of("REQUESTED")),
            new CircEvent(11, CircStatus.LAUNCHED, Optional.empty()),
            new CircEvent(11, CircStatus.FAILED, Optional.of("DESTROYED"))),
        events);
  }

  @Test
  void newConsensusCountsTheRouterStatusEntries() {
    // As FlashFlowControlConnection hands it over: the rest of the first line (none), LF, the data.
    String rest =
        "\nr relay3 IHMQGE27ZTYL+8rhci05QStcAmA wVS8l40N/Tt8AROw/0l5mhccBnM 2038-01-01 00:00:00"
            + " 127.0.0.1 39943 0\ns Exit Fast Running Valid\nw Bandwidth=0\n"
            + "r relay2 JndChdDHe8o3bErFfHTg5SC14o0 m6rfndmbYgAJEGJH2pgsM8p8kRk 2038-01-01 00:00:00"
            + " 127.0.0.1 43935 0\ns Fast Running Valid\nw Bandwidth=0\n";
    assertEquals(Optional.of(new NewConsensusEvent(2)), TorEvents.parse("NEWCONSENSUS", rest));
    assertEquals(Optional.of(new NewConsensusEvent(0)), TorEvents.parse("NEWCONSENSUS", "\n"));
    assertTrue(TorEvents.isKnownType("NEWCONSENSUS"));
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("CIRC", "12 FAILED REASON=TIMEOUT", circ(12, CircStatus.FAILED, "TIMEOUT")),
        Arguments.of("CIRC", "12 FAILED", circ(12, CircStatus.FAILED, null)),
        Arguments.of("CIRC", "3 GUARD_WAIT $AB~x,$CD=y", circ(3, CircStatus.GUARD_WAIT, null)),
        Arguments.of(
            "CIRC",
            "4 CLOSED $AB~x SOCKS_USERNAME=\"a b\\\" c\" REASON=FINISHED",
            circ(4, CircStatus.CLOSED, "FINISHED")),
        Arguments.of(
            "CIRC", "5 BUILT reason=IGNORED_CASE", circ(5, CircStatus.BUILT, "IGNORED_CASE")),
        Arguments.of("FF_MEAS", "7 PARAMS_SENT", new FfMeasEvent.ParamsSent(7)),
        Arguments.of("FF_MEAS", "7 PARAMS_OK ACCEPTED=TRUE", new FfMeasEvent.ParamsOk(7, true)),
        Arguments.of("FF_MEAS", "7 PARAMS_OK accepted=false", new FfMeasEvent.ParamsOk(7, false)),
        Arguments.of("FF_MEAS", "7 PARAMS_OK ACCEPTED=1", new FfMeasEvent.ParamsOk(7, true)),
        Arguments.of(
            "FF_MEAS",
            "4294967295 BW_REPORT SENT=1 RECV=2",
            new FfMeasEvent.BwReport(4294967295L, 1, 2)),
        Arguments.of(
            "FF_MEAS", "7 BW_REPORT recv=20 sent=10 EXTRA=x", new FfMeasEvent.BwReport(7, 10, 20)),
        Arguments.of("FF_MEAS", "7 END SUCCESS=0", new FfMeasEvent.End(7, false)),
        Arguments.of("ff_meas", "7 end success=TRUE", new FfMeasEvent.End(7, true)));
  }

  @ParameterizedTest
  @MethodSource("good")
  void parsesGoodEvents(String type, String rest, TorEvent expected) {
    assertEquals(Optional.of(expected), TorEvents.parse(type, rest));
    assertEquals(Optional.of(expected), TorEvents.parseLine("650 " + type + " " + rest + "\r\n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CIRC",
        "CIRC 12",
        "CIRC x BUILT",
        "CIRC -1 BUILT",
        "CIRC 12 SPLENDID",
        "CIRC 12 BUILT $AB~x REASON=\"unterminated",
        "CIRC 12 BUILT $AB~x garbage",
        "FF_MEAS",
        "FF_MEAS 7",
        "FF_MEAS x PARAMS_SENT",
        "FF_MEAS 7 WHATEVER",
        "FF_MEAS 7 PARAMS_OK",
        "FF_MEAS 7 PARAMS_OK ACCEPTED=maybe",
        "FF_MEAS 7 BW_REPORT SENT=1",
        "FF_MEAS 7 BW_REPORT SENT=1 RECV=-2",
        "FF_MEAS 7 BW_REPORT SENT=1 RECV=99999999999999999999",
        "FF_MEAS 7 END",
        "BW 10 20",
        "STREAM 1 NEW 0 x:80",
      })
  void malformedOrUnknownLinesAreEmpty(String line) {
    assertEquals(Optional.empty(), TorEvents.parseLine("650 " + line));
    int sp = line.indexOf(' ');
    if (sp > 0) {
      assertEquals(
          Optional.empty(), TorEvents.parse(line.substring(0, sp), line.substring(sp + 1)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "250 OK", "650", "651 CIRC 1 BUILT", "650+CIRC"})
  void nonEventLinesAreEmpty(String line) {
    assertEquals(Optional.empty(), TorEvents.parseLine(line));
  }

  @Test
  void knownTypes() {
    assertTrue(TorEvents.isKnownType("CIRC"));
    assertTrue(TorEvents.isKnownType("ff_meas"));
    assertEquals(false, TorEvents.isKnownType("STREAM"));
  }

  private static CircEvent circ(long id, CircStatus s, String reason) {
    return new CircEvent(id, s, Optional.ofNullable(reason));
  }
}
