package org.flashflow.common.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ManualLoopTest {
  private static final Instant T0 = Instant.parse("2020-07-14T20:00:00Z");

  private final ManualLoop loop = new ManualLoop(T0);
  private final List<String> log = new ArrayList<>();

  @Test
  void executeQueuesUntilRunPending() {
    loop.execute(() -> log.add("a"));
    loop.execute(() -> loop.execute(() -> log.add("c")));
    loop.execute(() -> log.add("b"));
    assertTrue(log.isEmpty());
    assertEquals(4, loop.runPending());
    assertEquals(List.of("a", "b", "c"), log);
    assertEquals(T0, loop.now());
  }

  @Test
  void timersFireInDueOrderAtTheirOwnTime() {
    loop.schedule(Duration.ofSeconds(3), () -> log.add("3s@" + loop.now().getEpochSecond()));
    loop.schedule(Duration.ofSeconds(1), () -> log.add("1s@" + loop.now().getEpochSecond()));
    loop.schedule(Duration.ofSeconds(1), () -> log.add("1s-second@" + loop.now().getEpochSecond()));
    long t0 = T0.getEpochSecond();

    loop.advance(Duration.ofMillis(999));
    assertTrue(log.isEmpty());
    loop.advance(Duration.ofSeconds(5));
    assertEquals(List.of("1s@" + (t0 + 1), "1s-second@" + (t0 + 1), "3s@" + (t0 + 3)), log);
    assertEquals(T0.plusMillis(5999), loop.now());
  }

  @Test
  void tasksQueuedByATimerRunBeforeTheNextTimer() {
    loop.schedule(Duration.ofSeconds(1), () -> loop.execute(() -> log.add("queued")));
    loop.schedule(Duration.ofSeconds(2), () -> log.add("timer2"));
    loop.advance(Duration.ofSeconds(2));
    assertEquals(List.of("queued", "timer2"), log);
  }

  @Test
  void timerScheduledByATimerFiresInTheSameAdvanceIfDue() {
    loop.schedule(
        Duration.ofSeconds(1),
        () -> loop.schedule(Duration.ofSeconds(1), () -> log.add("at " + loop.now())));
    loop.advance(Duration.ofSeconds(2));
    assertEquals(List.of("at " + T0.plusSeconds(2)), log);
  }

  @Test
  void cancelledTimerNeverFires() {
    Cancellable c = loop.schedule(Duration.ofSeconds(1), () -> log.add("x"));
    assertEquals(1, loop.pendingTimers());
    c.cancel();
    c.cancel();
    assertEquals(0, loop.pendingTimers());
    loop.advance(Duration.ofSeconds(10));
    assertTrue(log.isEmpty());
  }

  @Test
  void zeroAndNegativeDelaysAreDueNow() {
    loop.schedule(Duration.ofSeconds(-1), () -> log.add("neg"));
    loop.schedule(Duration.ZERO, () -> log.add("zero"));
    loop.advance(Duration.ZERO);
    assertEquals(List.of("neg", "zero"), log);
  }

  @Test
  void refusesToGoBack() {
    assertThrows(IllegalArgumentException.class, () -> loop.advance(Duration.ofSeconds(-1)));
  }

  @Test
  void creatingThreadIsTheLoopThread() throws InterruptedException {
    assertTrue(loop.inLoop());
    loop.checkInLoop();
    AtomicBoolean otherInLoop = new AtomicBoolean(true);
    AtomicBoolean otherCheckThrew = new AtomicBoolean(false);
    Thread t =
        new Thread(
            () -> {
              otherInLoop.set(loop.inLoop());
              try {
                loop.checkInLoop();
              } catch (IllegalStateException e) {
                otherCheckThrew.set(true);
              }
            });
    t.start();
    t.join();
    assertFalse(otherInLoop.get());
    assertTrue(otherCheckThrew.get());
  }
}
