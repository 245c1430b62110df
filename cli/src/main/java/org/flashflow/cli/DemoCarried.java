package org.flashflow.cli;

import java.util.List;
import java.util.Optional;
import org.flashflow.testnet.relay.CarriedSummary;

/**
 * What an emulated relay really forwarded during a measurement, from the line the emulated network
 * logs when the relay's side ends, and how long its event loop stalled (got no CPU). On a busy
 * machine the emulator cannot carry a relay's capacity in real time; then FlashFlow's estimate is
 * judged against what the relay carried instead. Pure.
 *
 * @param capacity the relay's configured capacity, bytes/s
 * @param perSecond measurement and background traffic the relay forwarded, per report interval,
 *     bytes/s
 * @param stalledMs how long the relay's or a measurer tor's event loop (the longer) was far behind
 *     its timers during the measurement
 */
record DemoCarried(long capacity, List<Long> perSecond, long stalledMs) {
  /**
   * The emulated relay's loop stalled at least this fraction of the measurement: the emulator, not
   * FlashFlow, decided how much the relay carried.
   */
  static final double STARVED = 0.10;

  /** How far an estimate may be from what a starved emulator carried (seconds shift, too). */
  static final double STARVED_TOLERANCE = 0.25;

  DemoCarried {
    perSecond = List.copyOf(perSecond);
  }

  /** The emulated network's line about {@code nick}'s measurement {@code measId}, if logged. */
  static Optional<DemoCarried> find(List<String> log, String nick, long measId) {
    for (String line : log) {
      Optional<CarriedSummary> s = CarriedSummary.parse(line);
      if (s.isPresent() && s.get().nick().equals(nick) && s.get().measId() == measId) {
        // The measurer tors' loop does the most work per byte: its stalls count as much.
        long stalled = Math.max(s.get().stalledMs(), CarriedSummary.longestStallMs(log, measId));
        return Optional.of(new DemoCarried(s.get().capacity(), s.get().perSecond(), stalled));
      }
    }
    return Optional.empty();
  }

  /** The median second, as FlashFlow takes it (the upper one of an even count). */
  double median() {
    if (perSecond.isEmpty()) {
      return 0;
    }
    List<Long> s = perSecond.stream().sorted().toList();
    return s.get(s.size() / 2);
  }

  /** Whether the emulator's loop stalled long enough that it, not the relay, set the rate. */
  boolean starved() {
    return perSecond.size() > 0 && stalledMs >= STARVED * perSecond.size() * 1000;
  }

  /** Stalled share of the measurement, in percent. */
  double stalledPercent() {
    return perSecond.size() == 0 ? 0 : 100.0 * stalledMs / (perSecond.size() * 1000.0);
  }
}
