package org.flashflow.common.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyLoopTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  private EventLoopGroup group;
  private NettyLoop loop;

  @BeforeEach
  void setUp() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = new NettyLoop(group.next(), Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
  }

  @Test
  void nowComesFromTheClock() {
    assertEquals(T0, loop.now());
  }

  @Test
  void executeRunsOnTheLoopInOrder() throws Exception {
    List<Integer> order = new ArrayList<>();
    CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
    for (int i = 0; i < 100; i++) {
      int n = i;
      loop.execute(() -> order.add(n));
    }
    loop.execute(() -> inLoop.complete(loop.inLoop()));
    assertTrue(inLoop.get(10, TimeUnit.SECONDS));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(i);
    }
    CompletableFuture<List<Integer>> seen = new CompletableFuture<>();
    loop.execute(() -> seen.complete(new ArrayList<>(order)));
    assertEquals(expected, seen.get(10, TimeUnit.SECONDS));
  }

  @Test
  void notInLoopFromTheTestThread() {
    assertFalse(loop.inLoop());
    assertThrows(IllegalStateException.class, loop::checkInLoop);
  }

  @Test
  void scheduleRunsTaskOnTheLoop() throws Exception {
    CompletableFuture<Boolean> ran = new CompletableFuture<>();
    loop.schedule(Duration.ofMillis(20), () -> ran.complete(loop.inLoop()));
    assertTrue(ran.get(10, TimeUnit.SECONDS));
  }

  @Test
  void cancelledTaskNeverRuns() throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    Cancellable c = loop.schedule(Duration.ofMillis(50), () -> first.complete("cancelled one ran"));
    c.cancel();
    // A later task on the same single thread: once it ran, the cancelled one's time has passed.
    loop.schedule(Duration.ofMillis(150), () -> first.complete("later one"));
    assertEquals("later one", first.get(10, TimeUnit.SECONDS));
    c.cancel(); // harmless afterwards
  }

  @Test
  void hugeAndNegativeDelaysAreAccepted() throws Exception {
    Cancellable never = loop.schedule(Duration.ofDays(365L * 1000_000_000L), () -> {});
    never.cancel();
    CompletableFuture<Boolean> ran = new CompletableFuture<>();
    loop.schedule(Duration.ofSeconds(-5), () -> ran.complete(true));
    assertTrue(ran.get(10, TimeUnit.SECONDS));
  }

  @Test
  void tasksPostedAfterShutdownAreDroppedNotThrown() throws Exception {
    assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
    loop.execute(() -> {});
    loop.schedule(Duration.ofSeconds(1), () -> {}).cancel();
  }
}
