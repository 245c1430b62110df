package org.flashflow.testnet.path;

import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * One direction of a path: what goes in at time t comes out one-way delay later. The delay is
 * {@code base} plus an offset drawn uniformly from {@code [-jitter, +jitter]}, redrawn every {@link
 * #JITTER_HOLD} nanoseconds; nothing overtakes what went in before it (a circuit's cells arrive in
 * order, as over TCP), so when the delay shrinks, cells bunch up instead. Counts only: cells are
 * not stored, just how many of each kind. Not thread-safe.
 */
public final class DelayLine {
  /** How long one jitter offset holds, nanoseconds. */
  public static final long JITTER_HOLD = 100_000_000L;

  /** Entries due within this many nanoseconds of the last one are merged into it. */
  static final long QUANTUM = 1_000_000L;

  /** What comes out at once: data cells and SENDMEs. */
  public record Batch(long cells, long sendmes) {
    public static final Batch EMPTY = new Batch(0, 0);

    public boolean isEmpty() {
      return cells == 0 && sendmes == 0;
    }
  }

  private static final class Entry {
    final long due;
    long cells;
    long sendmes;

    Entry(long due, long cells, long sendmes) {
      this.due = due;
      this.cells = cells;
      this.sendmes = sendmes;
    }
  }

  private final long base;
  private final long jitter;
  private final RandomGenerator random;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long offset;
  private long offsetUntil = Long.MIN_VALUE;
  private boolean offsetDrawn;

  /**
   * @param base one-way delay, nanoseconds, at least 0
   * @param jitter largest deviation from {@code base} either way, nanoseconds, at most {@code base}
   */
  public DelayLine(long base, long jitter, RandomGenerator random) {
    if (base < 0 || jitter < 0 || jitter > base) {
      throw new IllegalArgumentException("need 0 <= jitter <= base: " + jitter + ", " + base);
    }
    this.base = base;
    this.jitter = jitter;
    this.random = random;
  }

  /** Puts {@code cells} data cells and {@code sendmes} SENDMEs in at {@code now}. */
  public void add(long now, long cells, long sendmes) {
    if (cells == 0 && sendmes == 0) {
      return;
    }
    long due = now + delay(now);
    Entry tail = entries.peekLast();
    if (tail != null && due - tail.due <= QUANTUM) {
      // Never before the tail (in order), and close enough to travel with it.
      tail.cells += cells;
      tail.sendmes += sendmes;
      return;
    }
    entries.addLast(new Entry(due, cells, sendmes));
  }

  /** Takes out everything due at {@code now}. */
  public Batch poll(long now) {
    long cells = 0;
    long sendmes = 0;
    while (!entries.isEmpty() && entries.peekFirst().due - now <= 0) {
      Entry e = entries.pollFirst();
      cells += e.cells;
      sendmes += e.sendmes;
    }
    return cells == 0 && sendmes == 0 ? Batch.EMPTY : new Batch(cells, sendmes);
  }

  /** When the next entry is due, or {@link Long#MAX_VALUE} if none is in the line. */
  public long nextDue() {
    Entry e = entries.peekFirst();
    return e == null ? Long.MAX_VALUE : e.due;
  }

  /** Data cells in the line. */
  public long cellsInside() {
    long n = 0;
    for (Entry e : entries) {
      n += e.cells;
    }
    return n;
  }

  private long delay(long now) {
    if (jitter == 0) {
      return base;
    }
    if (!offsetDrawn || now - offsetUntil >= 0) {
      offset = random.nextLong(-jitter, jitter + 1);
      offsetUntil = now + JITTER_HOLD;
      offsetDrawn = true;
    }
    return base + offset;
  }
}
