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
 * <p>Not thread-safe, on purpose: a test that needs several threads needs the real loop.
 */
public final class ManualLoop implements Loop {
  private static final Comparator<Timer> BY_DUE_THEN_ORDER =
      Comparator.comparing((Timer t) -> t.due).thenComparingLong(t -> t.seq);

  private final Thread owner;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>(BY_DUE_THEN_ORDER);
  private Instant now;
  private long nextSeq;

  public ManualLoop(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
    this.owner = Thread.currentThread();
  }

  @Override
  public Instant now() {
    return now;
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
    Timer timer = new Timer(now.plus(d), nextSeq++, task);
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
    Instant target = now.plus(by);
    runPending();
    Timer next;
    while ((next = timers.peek()) != null && !next.due.isAfter(target)) {
      timers.poll();
      now = next.due;
      next.task.run();
      runPending();
    }
    now = target;
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
    final Instant due;
    final long seq;
    final Runnable task;

    Timer(Instant due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }
  }
}
