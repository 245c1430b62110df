package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.flashflow.common.loop.ManualLoop;
import org.junit.jupiter.api.Test;

class CleanupTimerTest {
  private static final Instant T0 = Instant.parse("2026-11-26T13:29:00Z");

  @Test
  void runsAtStartThenDailyOnTheIoExecutorWithTheClockReadWhenItFires() {
    ManualLoop loop = new ManualLoop(T0);
    List<Runnable> ioQueue = new ArrayList<>();
    Executor io = ioQueue::add;
    List<Instant> runs = new ArrayList<>();
    CleanupTimer timer = new CleanupTimer(loop, io, Duration.ofDays(1), runs::add);

    loop.execute(timer::start);
    loop.runPending();
    assertEquals(List.of(), runs, "the loop itself does no file work");
    assertEquals(1, ioQueue.size());
    ioQueue.remove(0).run();
    assertEquals(List.of(T0), runs);

    loop.advance(Duration.ofHours(23));
    assertEquals(0, ioQueue.size());
    loop.advance(Duration.ofHours(1));
    assertEquals(1, ioQueue.size());
    loop.advance(Duration.ofDays(1));
    assertEquals(2, ioQueue.size());
    ioQueue.forEach(Runnable::run);
    assertEquals(List.of(T0, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2))), runs);

    loop.execute(timer::stop);
    loop.runPending();
    loop.advance(Duration.ofDays(3));
    assertEquals(2, ioQueue.size(), "no run after stop");
  }
}
