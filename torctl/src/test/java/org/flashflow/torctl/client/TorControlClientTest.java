package org.flashflow.torctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.flashflow.torctl.FakeTorServer;
import org.flashflow.torctl.RecordingListener;
import org.flashflow.torctl.Samples;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.MalformedTorReplyException;
import org.flashflow.torctl.model.NewConsensusEvent;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorConnectionLostException;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.model.TorEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands and events over real jtorctl against the scripted control port. */
class TorControlClientTest {
  private static final String FP = "876CD86C9B5542BA41442CF0FF89D4D0ABDB5B12";

  private FakeTorServer tor;
  private RecordingListener listener;
  private TorControlClient client;

  @BeforeEach
  void connect() throws Exception {
    tor = FakeTorServer.nullAuth();
    listener = new RecordingListener();
    client = TorControlClient.connect(TorControlSettings.of(tor.endpoint()), listener);
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    tor.close();
  }

  @Test
  void protocolInfoIsKept() {
    assertEquals("0.4.9.11", client.protocolInfo().torVersion());
  }

  @Test
  void multiLineGetInfo() throws Exception {
    tor.reply(
        "GETINFO ns/all",
        "250+ns/all=\r\n"
            + "r relay4 h2zYbJtVQrpBRCzw/4nU0KvbWxI tuoaftSQ42xKKqzddfAvtad1cNc 2038-01-01 00:00:00"
            + " 127.0.0.1 33140 0\r\ns Exit Fast\r\nw Bandwidth=5 Measured=7\r\n.\r\n250 OK");
    List<RouterStatus> all = client.routerStatuses("ns/all");
    assertEquals(1, all.size());
    assertEquals(FP, all.get(0).fingerprint());
    assertEquals(OptionalLong.of(7), all.get(0).measuredKbs());
    assertTrue(client.getInfo("ns/all").endsWith("w Bandwidth=5 Measured=7"));
  }

  @Test
  void unknownRelayAndEmptyConsensusAreEmptyLists() throws Exception {
    tor.reply("GETINFO ns/name/nosuchrelay", "552 Unrecognized key \"ns/name/nosuchrelay\"");
    tor.reply("GETINFO ns/all", "250+ns/all=\r\n.\r\n250 OK");
    assertEquals(List.of(), client.routerStatuses("ns/name/nosuchrelay"));
    assertEquals(List.of(), client.routerStatuses("ns/all"));
  }

  @Test
  void flashFlowSupportFromEventNames() throws Exception {
    tor.reply("GETINFO events/names", "250-events/names=CIRC STREAM NOTICE\r\n250 OK");
    assertFalse(client.supportsFlashFlow());
    tor.reply("GETINFO events/names", "250-events/names=CIRC FF_MEAS NOTICE\r\n250 OK");
    assertTrue(client.supportsFlashFlow());
  }

  @Test
  void errorReplyCarriesCodeAndLine() throws Exception {
    TorControlException e =
        assertThrows(TorControlException.class, () -> client.coordStartMeas(1, FP, 30));
    assertEquals(OptionalInt.of(510), e.statusCode());
    assertEquals(Optional.of("510 Unrecognized command \"COORD_START_MEAS\""), e.torReply());
    assertTrue(e.getMessage().contains("tor at " + tor.endpoint()), e.getMessage());
    tor.reply("SETEVENTS CIRC FF_MEAS", "552 Unrecognized event \"FF_MEAS\"");
    TorControlException e2 =
        assertThrows(TorControlException.class, () -> client.setEvents(List.of("CIRC", "FF_MEAS")));
    assertEquals(OptionalInt.of(552), e2.statusCode());
    assertEquals("0.4.9.11", client.version()); // the connection is still usable
  }

  @Test
  void coordStartMeasTwice() throws Exception {
    tor.reply("COORD_START_MEAS 7 " + FP + " 30", "250 LAUNCHED 12");
    assertEquals(12, client.coordStartMeas(7, FP.toLowerCase(java.util.Locale.ROOT), 30));
    tor.reply("COORD_START_MEAS 7 " + FP + " 30", "250 OK");
    client.coordStartMeasActive(7, FP, 30);
  }

  @Test
  void measrStartMeasTwice() throws Exception {
    tor.reply("MEASR_START_MEAS 7 " + FP + " 3 30 BW=1000", "250 FF_MEAS 7 LAUNCHED CIRCS=4,5,6");
    assertEquals(List.of(4L, 5L, 6L), client.measrStartMeas(7, FP, 3, 30, OptionalLong.of(1000)));
    tor.reply("MEASR_START_MEAS 7 " + FP + " 2 30", "250 OK");
    client.measrStartMeasActive(7, FP, 2, 30, OptionalLong.empty());
  }

  @Test
  void malformedRepliesAreTheirOwnType() {
    tor.reply("COORD_START_MEAS 1 " + FP + " 30", "250 LAUNCHED soon");
    tor.reply("COORD_START_MEAS 2 " + FP + " 30", "250 LAUNCHED 5");
    tor.reply("MEASR_START_MEAS 3 " + FP + " 1 30", "250 FF_MEAS 4 LAUNCHED CIRCS=1");
    tor.reply("MEASR_START_MEAS 5 " + FP + " 1 30", "250 FF_MEAS 5 LAUNCHED CIRCS=1,x");
    tor.reply("MEASR_START_MEAS 6 " + FP + " 1 30", "250 OK");
    tor.reply("GETINFO version", "250 OK");
    assertThrows(MalformedTorReplyException.class, () -> client.coordStartMeas(1, FP, 30));
    assertThrows(MalformedTorReplyException.class, () -> client.coordStartMeasActive(2, FP, 30));
    OptionalLong none = OptionalLong.empty();
    assertThrows(MalformedTorReplyException.class, () -> client.measrStartMeas(3, FP, 1, 30, none));
    assertThrows(MalformedTorReplyException.class, () -> client.measrStartMeas(5, FP, 1, 30, none));
    assertThrows(MalformedTorReplyException.class, () -> client.measrStartMeas(6, FP, 1, 30, none));
    assertThrows(MalformedTorReplyException.class, () -> client.version());
  }

  @Test
  void badArgumentsNeverReachTor() {
    assertThrows(IllegalArgumentException.class, () -> client.coordStartMeas(1, "AB", 30));
    assertThrows(IllegalArgumentException.class, () -> client.getInfo("version\r\nSIGNAL HALT"));
    assertThrows(IllegalArgumentException.class, () -> client.routerStatuses("version"));
  }

  @Test
  void eventsReachTheListenerAndAMalformedOneIsDropped() throws Exception {
    tor.reply("SETEVENTS CIRC FF_MEAS", "250 OK");
    client.setEvents(List.of("CIRC", "FF_MEAS"));
    tor.push("650 CIRC 12 FAILED REASON=TIMEOUT");
    tor.push("650 FF_MEAS 7 BW_REPORT SENT=1 RECV=2");
    tor.push("650 FF_MEAS 7 BW_REPORT SENT=lots"); // malformed: logged and dropped
    tor.push("650 STREAM 1 NEW 0 example.com:80"); // not ours: ignored
    tor.push("650 FF_MEAS"); // an event with no arguments at all
    tor.push("650 CIRC");
    tor.push("650 FF_MEAS 7 END SUCCESS=TRUE");
    assertEquals(
        new CircEvent(12, CircStatus.FAILED, Optional.of("TIMEOUT")), listener.nextEvent());
    assertEquals(new FfMeasEvent.BwReport(7, 1, 2), listener.nextEvent());
    assertEquals(new FfMeasEvent.End(7, true), listener.nextEvent());
    assertEquals("0.4.9.11", client.version()); // the reader thread is alive
    assertEquals(0, listener.events.size());
  }

  @Test
  void stockTorsNewConsensusEventArrivesAsOneEvent() throws Exception {
    tor.reply("SETEVENTS NEWCONSENSUS", "250 OK");
    client.setEvents(List.of("NEWCONSENSUS"));
    List<String> sample = Samples.lines("newconsensus-event.txt");
    String event =
        String.join("\r\n", sample.subList(sample.indexOf("650+NEWCONSENSUS"), sample.size()));
    tor.push(event); // multi-line: 650+NEWCONSENSUS, 7 entries, ".", "650 OK"
    tor.push("650 FF_MEAS 7 END SUCCESS=TRUE");
    assertEquals(new NewConsensusEvent(7), listener.nextEvent());
    assertEquals(new FfMeasEvent.End(7, true), listener.nextEvent(), "and nothing for 650 OK");
    assertEquals("0.4.9.11", client.version());
    assertEquals(0, listener.events.size());
  }

  @Test
  void eventNamesAsASet() throws Exception {
    tor.reply(
        "GETINFO events/names", "250-events/names=CIRC NEWCONSENSUS FF_MEAS NOTICE\r\n250 OK");
    assertEquals(Set.of("CIRC", "NEWCONSENSUS", "FF_MEAS", "NOTICE"), client.eventNames());
  }

  @Test
  void aThrowingListenerDoesNotKillTheReader() throws Exception {
    client.close();
    RecordingListener after = new RecordingListener();
    TorEventListener throwing =
        new TorEventListener() {
          @Override
          public void onTorEvent(TorEvent event) {
            after.onTorEvent(event);
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onConnectionLost(Exception cause) {
            after.onConnectionLost(cause);
          }
        };
    client = TorControlClient.connect(TorControlSettings.of(tor.endpoint()), throwing);
    tor.push("650 FF_MEAS 1 PARAMS_SENT");
    tor.push("650 FF_MEAS 2 PARAMS_SENT");
    assertEquals(new FfMeasEvent.ParamsSent(1), after.nextEvent());
    assertEquals(new FfMeasEvent.ParamsSent(2), after.nextEvent());
    assertEquals("0.4.9.11", client.version());
  }

  @Test
  void connectionLossIsReportedOnceAndLaterCommandsFail() throws Exception {
    tor.dropConnections();
    Exception cause = listener.nextLoss();
    assertTrue(cause.getMessage() != null, String.valueOf(cause));
    TorControlException e = assertThrows(TorControlException.class, () -> client.version());
    assertInstanceOf(TorConnectionLostException.class, e);
    assertTrue(client.isLost());
    assertEquals(null, listener.losses.poll(100, TimeUnit.MILLISECONDS));
    assertEquals(1, listener.lossCount.get());
  }

  @Test
  void ourOwnCloseIsNotALoss() throws Exception {
    client.close();
    assertThrows(TorConnectionLostException.class, () -> client.version());
    assertEquals(0, listener.lossCount.get());
  }
}
