package org.flashflow.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects the leaks Netty's {@link ResourceLeakDetector} reports, so that a test can fail on them
 * instead of only logging them. {@link #install()} replaces Netty's detector factory; it must run
 * before the first buffer class is initialised, which {@link LeakFailingExtension} (registered for
 * every test through JUnit's extension autodetection) does.
 *
 * <p>Netty reports a leak only after the leaked object was garbage-collected and another one of its
 * type is tracked; {@link #collect()} brings both about.
 */
public final class NettyLeaks {
  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

  private NettyLeaks() {}

  /** Installs the recording factory; later calls do nothing. */
  public static void install() {
    Installer.done();
  }

  /** Class initialisation runs exactly once, whichever thread gets here first. */
  private static final class Installer {
    static {
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    static void done() {}
  }

  /**
   * Collects garbage, lets Netty look for leaked buffers, and returns (and forgets) every leak
   * reported since the last call.
   */
  public static List<String> collect() {
    for (int round = 0; round < 2; round++) {
      awaitGc();
      churn();
    }
    List<String> out = new ArrayList<>();
    for (String leak = LEAKS.poll(); leak != null; leak = LEAKS.poll()) {
      out.add(leak);
    }
    return out;
  }

  /** A full GC, and its references processed: a sentinel's enqueued (or 2 s passed). */
  private static void awaitGc() {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    System.gc();
    try {
      queue.remove(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sentinel.clear();
  }

  /** Tracking a new buffer is what makes Netty's detector poll for collected ones. */
  private static void churn() {
    ByteBuf adaptive = ByteBufAllocator.DEFAULT.buffer(1);
    adaptive.release();
    ByteBuf direct = Unpooled.directBuffer(1);
    direct.release();
    ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(1);
    pooled.release();
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add("LEAK: " + resourceType + " was garbage-collected unreleased." + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add("LEAK: " + resourceType + " was garbage-collected unreleased (not traced)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
