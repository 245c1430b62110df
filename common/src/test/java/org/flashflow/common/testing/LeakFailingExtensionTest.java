package org.flashflow.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The leak check itself: a class that leaks a buffer fails, one that releases it passes. */
class LeakFailingExtensionTest {
  /** Leaks one buffer; run only through the engine below (surefire skips nested classes). */
  static class LeakingExample {
    @Test
    void leaksABuffer() {
      // What channels allocate from; unpooled heap buffers are not tracked (the GC frees them).
      ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
      leaked.writeInt(42);
    }
  }

  /** Releases what it allocates. */
  static class TidyExample {
    @Test
    void releasesItsBuffer() {
      ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
      buf.writeInt(42);
      buf.release();
    }
  }

  private static Events containers(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(testClass))
        .execute()
        .containerEvents();
  }

  @Test
  void buildRunsTestsAtParanoidLevel() {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
  }

  @Test
  void aClassThatLeaksABufferFailsNamingTheLeak() {
    Events events = containers(LeakingExample.class);
    List<Throwable> failures =
        events.failed().stream()
            .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class))
            .flatMap(o -> o.flatMap(r -> r.getThrowable()).stream())
            .toList();
    assertEquals(1, failures.size(), "one failed container: " + failures);
    String message = failures.get(0).getMessage();
    assertTrue(
        message.contains(
            "1 Netty buffer leak(s) reported after LeakFailingExtensionTest$LeakingExample"),
        message);
    assertTrue(message.contains("LEAK: ByteBuf"), message);
    assertTrue(message.contains("leaksABuffer"), "records name where it was allocated: " + message);
  }

  @Test
  void aClassThatReleasesItsBuffersPasses() {
    containers(TidyExample.class).assertStatistics(s -> s.failed(0).succeeded(2));
  }
}
