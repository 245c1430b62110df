package org.flashflow.testnet.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Nets;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.testnet.network.Testnet;
import org.flashflow.torctl.client.TorControlClient;
import org.flashflow.torctl.model.CircEvent;
import org.flashflow.torctl.model.CircEvent.CircStatus;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole measurements against the emulated network, driven as the coordinator and a measurer drive
 * their tors: torctl's client, real TLS connections, real time (dur 2 to 3 s).
 */
@Timeout(60)
class MeasurementTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long CAPACITY = 1_000_000; // 8 Mbit/s
  @TempDir static Path dir;
  static Testnet net;

  @BeforeAll
  static void start() throws IOException {
    net =
        Testnet.start(
            Nets.config(
                dir,
                AuthMode.COOKIE,
                List.of(
                    Nets.relay("honest", CAPACITY, 0.25, Behaviour.HONEST),
                    Nets.relay("refuser", CAPACITY, 0.25, Behaviour.REFUSES),
                    Nets.relay("liar", CAPACITY, 0.25, Behaviour.LIES),
                    Nets.relay("blackhole", CAPACITY, 0.25, Behaviour.NEVER_BUILDS),
                    Nets.relay("dropper", CAPACITY, 0, Behaviour.DROPS),
                    Nets.relay("dier", CAPACITY, 0.25, Behaviour.DIES))));
  }

  @AfterAll
  static void stop() {
    net.close();
  }

  private static String fp(String nick) {
    return net.relays().stream()
        .filter(r -> r.nickname().equals(nick))
        .map(RelayEntry::fingerprint)
        .findFirst()
        .orElseThrow();
  }

  private static TorControlClient coord(Nets.Recorder rec) throws Exception {
    TorControlClient c = TorControlClient.connect(Nets.settings(net.coordinatorTor()), rec);
    c.setEvents(List.of("CIRC", "FF_MEAS"));
    return c;
  }

  private static TorControlClient measurer(String name, Nets.Recorder rec) throws Exception {
    TorControlClient c = TorControlClient.connect(Nets.settings(net.measurerTors().get(name)), rec);
    c.setEvents(List.of("CIRC", "FF_MEAS"));
    return c;
  }

  /** First COORD_START_MEAS up to PARAMS_OK; returns its answer. */
  private static boolean setUp(TorControlClient c, Nets.Recorder rec, long id, String fp, int dur)
      throws Exception {
    long circ = c.coordStartMeas(id, fp, dur);
    assertEquals(
        new CircEvent(circ, CircStatus.LAUNCHED, java.util.Optional.empty()), rec.next(WAIT));
    assertEquals(CircStatus.EXTENDED, ((CircEvent) rec.next(WAIT)).status());
    assertEquals(CircStatus.BUILT, ((CircEvent) rec.next(WAIT)).status());
    assertEquals(new FfMeasEvent.ParamsSent(id), rec.next(WAIT));
    return ((FfMeasEvent.ParamsOk) rec.next(WAIT)).accepted();
  }

  private static List<FfMeasEvent.BwReport> reports(Nets.Recorder rec, int dur) throws Exception {
    List<FfMeasEvent.BwReport> out = new ArrayList<>();
    for (int i = 0; i < dur; i++) {
      out.add(rec.next(FfMeasEvent.BwReport.class, WAIT));
    }
    return out;
  }

  @Test
  void honestRelayMeasuredByOneMeasurerWithFourCircuits() throws Exception {
    Nets.Recorder cr = new Nets.Recorder();
    Nets.Recorder mr = new Nets.Recorder();
    int dur = 3;
    long id = 11;
    String fp = fp("honest");
    try (TorControlClient c = coord(cr);
        TorControlClient m = measurer("alice", mr)) {
      assertTrue(setUp(c, cr, id, fp, dur));
      List<Long> circs = m.measrStartMeas(id, fp, 4, dur, OptionalLong.empty());
      assertEquals(4, circs.size());
      Set<Long> built = new HashSet<>();
      while (built.size() < 4) {
        CircEvent e = mr.next(CircEvent.class, WAIT);
        assertTrue(circs.contains(e.circId()));
        assertFalse(e.status() == CircStatus.FAILED, e.toString());
        if (e.status() == CircStatus.BUILT) {
          built.add(e.circId());
        }
      }
      c.coordStartMeasActive(id, fp, dur);
      m.measrStartMeasActive(id, fp, 4, dur, OptionalLong.empty());

      List<FfMeasEvent.BwReport> measured = reports(mr, dur);
      assertEquals(new FfMeasEvent.End(id, true), mr.next(FfMeasEvent.class, WAIT));
      List<FfMeasEvent.BwReport> background = reports(cr, dur);
      assertEquals(new FfMeasEvent.End(id, true), cr.next(FfMeasEvent.class, WAIT));
      assertEquals(CircStatus.CLOSED, cr.next(CircEvent.class, WAIT).status());

      // Background wants 25% and may have 25% of the total: the measurer gets the other 75%.
      long expected = CAPACITY - CAPACITY / 4;
      for (FfMeasEvent.BwReport r : measured) {
        assertTrue(Math.abs(r.recv() - expected) <= expected / 10, "RECV " + r + " vs " + expected);
        // The window keeps 900 to 1000 cells out per circuit: a second can return 100 per circuit
        // more than it sent.
        assertTrue(r.sent() >= r.recv() - 4 * 100 * 514L, r.toString());
      }
      for (FfMeasEvent.BwReport r : background) {
        long bg = CAPACITY / 4;
        assertTrue(Math.abs(r.sent() - bg) <= bg / 5, "background " + r + " vs " + bg);
        assertEquals(r.sent(), r.recv());
      }
      // Exactly dur reports: nothing more comes.
      assertTrue(
          cr.drain(Duration.ofMillis(300)).stream().noneMatch(e -> e instanceof FfMeasEvent));
    }
  }

  @Test
  void refusingRelaySaysAcceptedFalse() throws Exception {
    Nets.Recorder cr = new Nets.Recorder();
    try (TorControlClient c = coord(cr)) {
      assertFalse(setUp(c, cr, 21, fp("refuser"), 2));
      assertEquals(CircStatus.CLOSED, cr.next(CircEvent.class, WAIT).status());
    }
  }

  @Test
  void liarClaimsFarMoreBackgroundThanItCarries() throws Exception {
    Nets.Recorder cr = new Nets.Recorder();
    try (TorControlClient c = coord(cr)) {
      String fp = fp("liar");
      assertTrue(setUp(c, cr, 31, fp, 2));
      c.coordStartMeasActive(31, fp, 2);
      for (FfMeasEvent.BwReport r : reports(cr, 2)) {
        assertEquals(10 * CAPACITY, r.sent());
      }
      assertEquals(new FfMeasEvent.End(31, true), cr.next(FfMeasEvent.class, WAIT));
    }
  }

  @Test
  void neverBuildingRelayFailsEveryCircuit() throws Exception {
    Nets.Recorder cr = new Nets.Recorder();
    Nets.Recorder mr = new Nets.Recorder();
    String fp = fp("blackhole");
    try (TorControlClient c = coord(cr);
        TorControlClient m = measurer("bob", mr)) {
      long circ = c.coordStartMeas(41, fp, 2);
      assertEquals(CircStatus.LAUNCHED, ((CircEvent) cr.next(WAIT)).status());
      assertEquals(
          new CircEvent(circ, CircStatus.FAILED, java.util.Optional.of("TIMEOUT")), cr.next(WAIT));
      List<Long> circs = m.measrStartMeas(41, fp, 2, 2, OptionalLong.empty());
      int failed = 0;
      while (failed < 2) {
        CircEvent e = mr.next(CircEvent.class, WAIT);
        assertTrue(circs.contains(e.circId()));
        if (e.status() == CircStatus.FAILED) {
          assertEquals(java.util.Optional.of("TIMEOUT"), e.reason());
          failed++;
        } else {
          assertEquals(CircStatus.LAUNCHED, e.status());
        }
      }
    }
  }

  @Test
  void droppingRelayEchoesHalfAndBandwidthCapHolds() throws Exception {
    Nets.Recorder mr = new Nets.Recorder();
    String fp = fp("dropper");
    long bw = 400_000;
    try (TorControlClient m = measurer("alice", mr)) {
      m.measrStartMeas(51, fp, 2, 2, OptionalLong.of(bw));
      awaitBuilt(mr, 2);
      m.measrStartMeasActive(51, fp, 2, 2, OptionalLong.of(bw));
      for (FfMeasEvent.BwReport r : reports(mr, 2)) {
        assertTrue(r.sent() <= bw * 11 / 10, "sent over the cap: " + r);
        assertTrue(r.sent() >= bw * 8 / 10, "sent far under the cap: " + r);
        assertTrue(Math.abs(r.recv() * 2 - r.sent()) <= r.sent() / 10, "not half: " + r);
      }
    }
  }

  @Test
  void dyingRelayEndsBothSidesUnsuccessfully() throws Exception {
    Nets.Recorder cr = new Nets.Recorder();
    Nets.Recorder mr = new Nets.Recorder();
    String fp = fp("dier");
    int dur = 4;
    try (TorControlClient c = coord(cr);
        TorControlClient m = measurer("bob", mr)) {
      assertTrue(setUp(c, cr, 61, fp, dur));
      m.measrStartMeas(61, fp, 2, dur, OptionalLong.empty());
      awaitBuilt(mr, 2);
      c.coordStartMeasActive(61, fp, dur);
      m.measrStartMeasActive(61, fp, 2, dur, OptionalLong.empty());
      // dur / 2 = 2 reports, then the relay dies, well before the measurer's last second.
      reports(cr, dur / 2);
      assertEquals(new FfMeasEvent.End(61, false), cr.next(FfMeasEvent.End.class, WAIT));
      assertEquals(new FfMeasEvent.End(61, false), mr.next(FfMeasEvent.End.class, WAIT));
    }
  }

  private static void awaitBuilt(Nets.Recorder rec, int n) throws Exception {
    int built = 0;
    while (built < n) {
      TorEvent e = rec.next(CircEvent.class, WAIT);
      assertFalse(((CircEvent) e).status() == CircStatus.FAILED, e.toString());
      if (((CircEvent) e).status() == CircStatus.BUILT) {
        built++;
      }
    }
  }
}
