package org.flashflow.testnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The token bucket in virtual time (nanoseconds passed in). */
class TokenBucketTest {
  private static final long MS = 1_000_000;

  @Test
  void startsFullAndRefillsAtTheRate() {
    TokenBucket b = new TokenBucket(1000, 100, 0);
    assertEquals(100, b.take(500, 0));
    assertEquals(0, b.take(1, 0));
    assertEquals(10, b.available(10 * MS));
    assertEquals(100, b.available(1000 * MS)); // capped at the burst
  }

  @Test
  void noFractionIsLostAtFineGranularity() {
    TokenBucket b = new TokenBucket(1000, 1000, 0);
    b.take(1000, 0);
    long taken = 0;
    for (long t = 1; t <= 1000; t++) { // every 1 ms: 1 byte each, exactly
      taken += b.take(10, t * MS - MS / 3);
    }
    assertEquals(999, taken);
  }

  @Test
  void takesWholeCellsOnly() {
    TokenBucket b = new TokenBucket(514 * 100, 514 * 3 + 100, 0);
    assertEquals(3, b.takeUnits(10, 514, 0));
    assertEquals(100, b.available(0));
    assertEquals(0, b.takeUnits(10, 514, 0));
    assertEquals(1, b.takeUnits(10, 514, 10 * MS)); // 514 more arrived
  }

  @Test
  void sustainedRateOverASecondOfTicks() {
    TokenBucket b = new TokenBucket(1_000_000, 50_000, 0);
    b.take(50_000, 0);
    long taken = 0;
    for (long t = 10; t <= 1000; t += 10) {
      taken += b.take(Long.MAX_VALUE, t * MS);
    }
    assertEquals(1_000_000, taken);
  }

  @Test
  void nanosUntil() {
    TokenBucket b = new TokenBucket(1000, 100, 0);
    b.take(100, 0);
    assertEquals(50 * MS, b.nanosUntil(50, 0));
    assertEquals(0, b.nanosUntil(50, 50 * MS));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
  }
}
