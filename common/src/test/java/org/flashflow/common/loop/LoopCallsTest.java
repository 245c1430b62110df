package org.flashflow.common.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoopCallsTest {
  private static final Logger LOG = LoggerFactory.getLogger(LoopCallsTest.class);
  private static final Executor DIRECT = Runnable::run;
  private static final Executor NEVER = task -> {};
  private static final Duration SHORT = Duration.ofMillis(20);

  @AfterEach
  void clearInterrupt() {
    var unused = Thread.interrupted();
  }

  @Test
  void callReturnsTheResult() throws Exception {
    assertEquals(42, LoopCalls.call(DIRECT, () -> 42, SHORT));
  }

  @Test
  void callHandsOverTheTasksException() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                LoopCalls.call(
                    DIRECT,
                    () -> {
                      throw new IllegalStateException("boom");
                    },
                    SHORT));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void callTimesOutWhenTheLoopNeverRunsTheTask() {
    assertThrows(TimeoutException.class, () -> LoopCalls.call(NEVER, () -> 1, SHORT));
  }

  @Test
  void stepReportsSuccessAndFailure() {
    assertTrue(LoopCalls.runStep(DIRECT, "ok", () -> {}, SHORT, LOG));
    assertFalse(
        LoopCalls.runStep(
            DIRECT,
            "failing",
            () -> {
              throw new IllegalStateException("boom");
            },
            SHORT,
            LOG));
    assertFalse(LoopCalls.runStep(NEVER, "stuck", () -> {}, SHORT, LOG));
    assertFalse(
        LoopCalls.runStep(
            task -> {
              throw new IllegalStateException("loop shut down");
            },
            "refused",
            () -> {},
            SHORT,
            LOG));
  }

  @Test
  void anInterruptIsKeptForTheCaller() {
    Thread.currentThread().interrupt();
    assertFalse(LoopCalls.runStep(NEVER, "interrupted", () -> {}, Duration.ofSeconds(30), LOG));
    assertTrue(Thread.currentThread().isInterrupted());
  }
}
