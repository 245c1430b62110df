package org.flashflow.testnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Background demand in virtual time. */
class OnOffLoadTest {
  private static final long MS = 1_000_000L;

  /** Mean and standard deviation of the demand rate sampled over {@code window}-long steps. */
  private static double[] stats(OnOffLoad load, long window, long total) {
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    for (long t = window; t <= total; t += window) {
      double rate = load.demand(t) * 1e9 / window;
      sum += rate;
      sumSq += rate * rate;
      n++;
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(sumSq / n - mean * mean)};
  }

  @Test
  void steadyLoadWantsTheMeanEveryMoment() {
    OnOffLoad load = new OnOffLoad(1_000_000, 0, Duration.ofSeconds(2), new SplittableRandom(1), 0);
    assertEquals(1_000_000, load.peakRate());
    double[] s = stats(load, 10 * MS, 100_000 * MS);
    assertEquals(1_000_000, s[0], 1);
    assertEquals(0, s[1], 200, "no fraction of a byte is lost between steps");
  }

  @Test
  void burstsHaveTheConfiguredMeanAndDeviation() {
    long mean = 1_000_000;
    long sd = 1_000_000;
    OnOffLoad load = new OnOffLoad(mean, sd, Duration.ofSeconds(2), new SplittableRandom(3), 0);
    // m + s^2/m: twice the mean while on, on half the time.
    assertEquals(2_000_000, load.peakRate());
    // Sampled over 1 ms (much shorter than a period): the instantaneous demand. 20,000 s.
    double[] s = stats(load, MS, 20_000_000 * MS);
    assertEquals(mean, s[0], 0.02 * mean, "mean");
    assertEquals(sd, s[1], 0.03 * sd, "standard deviation");
  }

  @Test
  void rareHighBurstsWhenTheDeviationExceedsTheMean() {
    OnOffLoad load =
        new OnOffLoad(100_000, 300_000, Duration.ofSeconds(2), new SplittableRandom(5), 0);
    assertEquals(1_000_000, load.peakRate()); // 0.1 + 0.09/0.1 = 1.0, on 10% of the time
    double[] s = stats(load, MS, 20_000_000 * MS);
    assertEquals(100_000, s[0], 3_000, "mean");
    assertEquals(300_000, s[1], 10_000, "standard deviation");
  }

  @Test
  void perSecondDemandVariesLessThanTheInstantaneous() {
    long mean = 1_000_000;
    OnOffLoad load = new OnOffLoad(mean, mean, Duration.ofSeconds(2), new SplittableRandom(9), 0);
    double[] s = stats(load, 1000 * MS, 20_000_000 * MS);
    assertEquals(mean, s[0], 0.02 * mean);
    // Periods of 2 s on average: a second often holds part of a burst and part of a pause.
    assertTrue(s[1] < 0.9 * mean && s[1] > 0.5 * mean, "per-second sd " + s[1]);
  }
}
