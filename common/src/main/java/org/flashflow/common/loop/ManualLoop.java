package org.flashflow.common.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A {@link Loop} whose clock only moves when the test says so, so that deadlines of minutes are
 * tested in milliseconds and every run is the same run. Tasks and timers run on the thread that
 * calls {@link #runPending()} or {@link #advance(Duration)}; the thread that created the loop
 * counts as the loop thread, because that is the thread a test drives it from.
 *
 * <p>Two clocks, as in production: timers run on a monotonic clock that only {@link #advance} moves
 * (Netty's timers use {@code System.nanoTime()}), while {@link #now()} is the wall clock, which
 * {@link #stepWallClock} can also set back or forward without firing anything, as an NTP step or an
 * operator's {@code date -s} does.
 *
 * <p>Not thread-safe, on purpose: a test that needs several threads needs the real loop.
 */
public final class ManualLoop implements Loop {
  private static final Comparator<Timer> BY_DUE_THEN_ORDER =
      Comparator.comparingLong((Timer t) -> t.due).thenComparingLong(t -> t.seq);

  private final Thread owner;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>(BY_DUE_THEN_ORDER);
  private final Instant start;
  private long monoNanos;
  private Duration wallOffset = Duration.ZERO;
  private long nextSeq;

  public ManualLoop(Instant start) {
    this.start = Objects.requireNonNull(start, "start");
    this.owner = Thread.currentThread();
  }

  /** The wall clock: the start, plus the time advanced, plus every step. */
  @Override
  public Instant now() {
    return start.plusNanos(monoNanos).plus(wallOffset);
  }

  /**
   * Steps the wall clock by {@code by} (negative: back) without moving the monotonic clock: no
   * timer fires and none is due sooner or later than before, as with a clock step under Netty.
   */
  public void stepWallClock(Duration by) {
    wallOffset = wallOffset.plus(by);
  }

  @Override
  public long nanoTime() {
    return monoNanos;
  }

  /** How far the monotonic clock has advanced since the loop was made. */
  public Duration elapsed() {
    return Duration.ofNanos(monoNanos);
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
  }

  /** A negative delay counts as zero: the task is due now and runs on the next advance. */
  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    Duration d = delay.isNegative() ? Duration.ZERO : delay;
    Timer timer = new Timer(Math.addExact(monoNanos, saturatedNanos(d)), nextSeq++, task);
    timers.add(timer);
    return () -> timers.remove(timer);
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == owner;
  }

  /**
   * Runs queued tasks, including those they queue, until none is left; timers do not fire.
   *
   * @return how many tasks ran
   */
  public int runPending() {
    int n = 0;
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
      n++;
    }
    return n;
  }

  /**
   * Moves the clock forward by {@code by}, stopping at each due timer (in due order, ties in
   * scheduling order) to run it and the tasks it queued. Queued tasks run first, at the old time.
   */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + by);
    }
    long target = Math.addExact(monoNanos, by.toNanos());
    runPending();
    Timer next;
    while ((next = timers.peek()) != null && next.due <= target) {
      timers.poll();
      monoNanos = next.due;
      next.task.run();
      runPending();
    }
    monoNanos = target;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Timers scheduled and neither fired nor cancelled. */
  public int pendingTimers() {
    return timers.size();
  }

  /** Tasks queued and not yet run. */
  public int pendingTasks() {
    return tasks.size();
  }

  private static final class Timer {
    final long due;
    final long seq;
    final Runnable task;

    Timer(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }
  }
}
