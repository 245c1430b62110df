package org.flashflow.testnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flashflow.testnet.Behaviour;
import org.flashflow.testnet.Fingerprints;
import org.flashflow.testnet.FlowControl;
import org.flashflow.testnet.RelaySpec;
import org.junit.jupiter.api.Test;

/**
 * The relay's own account of a measurement ({@link CarriedSummary}), in virtual time: the test
 * plays the relay's ticks and a greedy measurement, an embedded event loop runs its report timers.
 * A stretch without ticks is a stall of the emulator (no CPU), and what it cost is visible.
 */
class EmulatedRelayCarriedTest {
  private static final long MS = 1_000_000L;
  private static final long CAPACITY = 1_028_000; // 2000 cells/s

  /** Measures for 4 s; from {@code stallFrom} for {@code stallMs} the relay's loop does nothing. */
  private static CarriedSummary measure(long stallFrom, long stallMs) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    long[] now = {0};
    EmulatedRelay relay =
        new EmulatedRelay(
            new RelaySpec("r", Fingerprints.of("t", "r"), CAPACITY, 0, Behaviour.HONEST),
            0.25,
            ch.eventLoop(),
            () -> now[0],
            Duration.ofSeconds(6),
            Duration.ofSeconds(45),
            FlowControl.TOR);
    relay.params(7, 4, new NoEvents());
    relay.tick();
    relay.activate(7);
    for (long t = 10 * MS; t <= 4_100 * MS; t += 10 * MS) {
      boolean stalled = t >= stallFrom * MS && t < (stallFrom + stallMs) * MS;
      now[0] = t;
      ch.advanceTimeBy(10, TimeUnit.MILLISECONDS);
      if (!stalled) {
        relay.tick();
        relay.takeCells(100_000);
        ch.runScheduledPendingTasks();
      }
    }
    ch.finishAndReleaseAll();
    return relay.lastSummary();
  }

  @Test
  void withoutStallsTheRelayCarriesItsCapacityEverySecond() {
    CarriedSummary s = measure(0, 0);
    assertEquals(4, s.perSecond().size(), s.line());
    for (long second : s.perSecond().subList(1, 4)) {
      assertEquals(CAPACITY, second, CAPACITY / 50, s.line());
    }
    assertEquals(0, s.stalledMs(), s.line());
  }

  @Test
  void aStalledLoopShowsAsStallAndAsLessCarried() {
    // 500 ms without CPU in the third second: the bucket holds 50 ms, the rest is lost.
    CarriedSummary s = measure(2_100, 500);
    assertEquals(490, s.stalledMs(), 20, s.line());
    assertTrue(s.perSecond().get(2) < CAPACITY * 7 / 10, s.line());
  }

  @Test
  void lineRoundTrips() {
    CarriedSummary s = new CarriedSummary("relay3", 42, 1_250_000, List.of(1L, 1_249_000L), 12);
    assertEquals(
        "relay relay3: measurement 42 ended; carried per second (B/s, capacity 1250000): 1 1249000;"
            + " loop stalled 12 ms",
        s.line());
    assertEquals(Optional.of(s), CarriedSummary.parse("12:00:00.000 INFO [x] y - " + s.line()));
    assertEquals(Optional.empty(), CarriedSummary.parse("relay relay3: measurement 42 active"));
  }

  @Test
  void longestStallOfAMeasurementFromEveryEmulatedTor() {
    List<String> log =
        List.of(
            new CarriedSummary("relay3", 42, 1, List.of(1L), 12).line(),
            "x - measurer alice tor: measurement 42 ended, success=true; loop stalled 900 ms",
            "x - measurer bob tor: measurement 42 ended, success=true; loop stalled 30 ms",
            "x - measurer bob tor: measurement 43 ended, success=true; loop stalled 5000 ms",
            "x - relay relay3: measurement 42 active for 5 s");
    assertEquals(900, CarriedSummary.longestStallMs(log, 42));
    assertEquals(5000, CarriedSummary.longestStallMs(log, 43));
    assertEquals(0, CarriedSummary.longestStallMs(log, 44));
  }

  private static final class NoEvents implements RelayEvents {
    @Override
    public void circuitBuilt(long measId) {}

    @Override
    public void paramsOk(long measId, boolean accepted) {}

    @Override
    public void bwReport(long measId, long sent, long recv) {}

    @Override
    public void ended(long measId, boolean success) {}
  }
}
