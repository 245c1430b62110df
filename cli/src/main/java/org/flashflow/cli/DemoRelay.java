package org.flashflow.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flashflow.coord.core.FailReason;
import org.flashflow.testnet.Behaviour;

/**
 * One relay of the demo network and what a correct FlashFlow must make of it. Pure.
 *
 * @param mbits true capacity in Mbit/s (10^6 bit/s), measurement and background together
 * @param background fraction of the capacity its emulated clients want
 * @param rttMs the round trip between the measurers and this relay, ms (jitter a tenth of it)
 */
record DemoRelay(String nick, double mbits, double background, Behaviour behaviour, int rttMs) {
  /** An honest relay's estimate may be off by this fraction of its true capacity. */
  static final double HONEST_TOLERANCE = 0.10;

  /** Slack above a liar's theoretical cap 1/(1-r), as a fraction of its true capacity. */
  static final double LIAR_SLACK = 0.02;

  /** Tor's circuit window: a circuit carries at most this many cells per round trip. */
  static final int WINDOW_CELLS = 1000;

  /**
   * The demo network: 1 to 100 Mbit/s, backgrounds 0 to 25 %, round trips of 30 to 150 ms, one
   * relay that lies about its background traffic and one that refuses to be measured.
   */
  static final List<DemoRelay> NETWORK =
      List.of(
          new DemoRelay("relay1", 1, 0.10, Behaviour.HONEST, 150),
          new DemoRelay("relay2", 5, 0.25, Behaviour.HONEST, 120),
          new DemoRelay("relay3", 10, 0.0, Behaviour.HONEST, 30),
          new DemoRelay("relay4", 20, 0.20, Behaviour.HONEST, 80),
          new DemoRelay("relay5", 35, 0.10, Behaviour.LIES, 60),
          new DemoRelay("relay6", 50, 0.15, Behaviour.HONEST, 100),
          new DemoRelay("relay7", 75, 0.05, Behaviour.REFUSES, 40),
          new DemoRelay("relay8", 100, 0.25, Behaviour.HONEST, 120));

  DemoRelay {
    if (rttMs < 0) {
      throw new IllegalArgumentException("rtt must not be negative: " + rttMs);
    }
    if (behaviour != Behaviour.HONEST
        && behaviour != Behaviour.LIES
        && behaviour != Behaviour.REFUSES) {
      throw new IllegalArgumentException("the demo knows no expectation for " + behaviour);
    }
  }

  /** True capacity in bytes per second. */
  long capacity() {
    return Math.round(mbits * 1e6 / 8);
  }

  /**
   * The most one circuit carries to this relay, Mbit/s: a window of 514-byte cells per round trip;
   * infinite without a round trip.
   */
  double oneCircuitMbits() {
    return rttMs == 0 ? Double.POSITIVE_INFINITY : WINDOW_CELLS * 514 * 8 / (rttMs * 1000.0);
  }

  /** The {@code [relay NICK]} section of {@code testnet.ini}. */
  String testnetSection() {
    String s =
        String.format(
            Locale.ROOT,
            "[relay %s]%ncapacity = %s Mbit/s%nbackground = %s%nbehaviour = %s%n",
            nick,
            trim(mbits),
            trim(background),
            behaviour.configName());
    if (rttMs > 0) {
      s += String.format(Locale.ROOT, "rtt = %d ms%njitter = %d ms%n", rttMs, rttMs / 10);
    }
    return s;
  }

  /** What the demo expects, for the table's last column. */
  String expectation(double r) {
    return switch (behaviour) {
      case HONEST -> String.format(Locale.ROOT, "within %.0f%%", HONEST_TOLERANCE * 100);
      case LIES -> String.format(Locale.ROOT, "at most %.2fx", 1 / (1 - r) + LIAR_SLACK);
      case REFUSES -> "FAIL " + FailReason.RELAY_REFUSED;
      default -> throw new AssertionError(behaviour);
    };
  }

  /**
   * Whether a measurement ended as it should for this relay's behaviour.
   *
   * @param estimate bytes/s of a completed measurement; empty if it failed
   * @param failure why it failed; empty if it completed
   * @param r the background fraction the coordinator used
   */
  boolean asExpected(Optional<Double> estimate, Optional<FailReason> failure, double r) {
    return asExpected(estimate, failure, r, Optional.empty());
  }

  /**
   * As {@link #asExpected(Optional, Optional, double)}, and an honest relay whose emulator starved
   * (its loop stalled, {@link DemoCarried#starved}) may instead come within {@link
   * DemoCarried#STARVED_TOLERANCE} of what the relay really carried: on a busy machine the
   * emulator, not FlashFlow, fell short.
   */
  boolean asExpected(
      Optional<Double> estimate,
      Optional<FailReason> failure,
      double r,
      Optional<DemoCarried> carried) {
    return switch (behaviour) {
      case HONEST ->
          estimate.isPresent()
              && (Math.abs(estimate.get() - capacity()) <= HONEST_TOLERANCE * capacity()
                  || carried
                      .filter(c -> c.starved() && nearCarried(estimate.get(), c))
                      .isPresent());
      case LIES ->
          estimate.isPresent() && estimate.get() <= (1 / (1 - r) + LIAR_SLACK) * capacity();
      case REFUSES -> failure.equals(Optional.of(FailReason.RELAY_REFUSED));
      default -> throw new AssertionError(behaviour);
    };
  }

  private static boolean nearCarried(double estimate, DemoCarried c) {
    return Math.abs(estimate - c.median()) <= DemoCarried.STARVED_TOLERANCE * c.median();
  }

  /** {@code 35} rather than {@code 35.0}, for config files people read. */
  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
