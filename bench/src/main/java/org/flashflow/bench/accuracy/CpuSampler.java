package org.flashflow.bench.accuracy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU of this process while a phase runs, once a second: the whole process ({@code
 * OperatingSystemMXBean.getProcessCpuTime}) and every thread ({@code ThreadMXBean}), grouped by
 * name without the pool numbers ({@code testnet-relays-9-1} is {@code testnet-relays}). What shows
 * whether the emulator is the bottleneck is its busiest thread's busiest second: one event loop is
 * one core at most.
 */
final class CpuSampler implements AutoCloseable {
  private static final long NANOS = 1_000_000_000L;

  /** Per group: CPU in all over the phase, and the busiest thread's busiest window. */
  static final class Group {
    long cpuNanos;
    double maxThreadPercent;
  }

  /** What one phase cost. */
  record Report(double wallSeconds, double processPercent, Map<String, Group> groups) {}

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cpu-sampler");
            t.setDaemon(true);
            return t;
          });
  private final Object lock = new Object();
  private Map<Long, Long> lastThreadCpu = new HashMap<>();
  private long lastNanos;
  private long startNanos;
  private long startProcessCpu;
  private Map<String, Group> groups = new TreeMap<>();

  CpuSampler() {
    timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  /** Starts a phase. */
  void begin() {
    synchronized (lock) {
      groups = new TreeMap<>();
      lastThreadCpu = threadCpu();
      lastNanos = System.nanoTime();
      startNanos = lastNanos;
      startProcessCpu = os.getProcessCpuTime();
    }
  }

  /** Ends the phase begun last. */
  Report end() {
    sample();
    synchronized (lock) {
      double wall = (System.nanoTime() - startNanos) / (double) NANOS;
      double proc = (os.getProcessCpuTime() - startProcessCpu) / (double) NANOS;
      return new Report(wall, 100 * proc / wall, groups);
    }
  }

  private void sample() {
    synchronized (lock) {
      long now = System.nanoTime();
      long window = now - lastNanos;
      if (window <= 0) {
        return;
      }
      Map<Long, Long> cpu = threadCpu();
      Map<Long, String> names = new HashMap<>();
      for (ThreadInfo info : threads.getThreadInfo(toArray(cpu))) {
        if (info != null) {
          names.put(info.getThreadId(), info.getThreadName());
        }
      }
      for (Map.Entry<Long, Long> e : cpu.entrySet()) {
        long used = e.getValue() - lastThreadCpu.getOrDefault(e.getKey(), 0L);
        String name = names.getOrDefault(e.getKey(), "?");
        Group g = groups.computeIfAbsent(group(name), k -> new Group());
        g.cpuNanos += used;
        g.maxThreadPercent = Math.max(g.maxThreadPercent, 100.0 * used / window);
      }
      lastThreadCpu = cpu;
      lastNanos = now;
    }
  }

  private Map<Long, Long> threadCpu() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }

  private static long[] toArray(Map<Long, Long> m) {
    return m.keySet().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * {@code testnet-relays-9-1} -> {@code testnet-relays}; {@code tor-cmd 127.0.0.1:1} -> tor-cmd.
   */
  static String group(String threadName) {
    String g = threadName.replaceAll("(-\\d+)+$", "").replaceAll(" .*$", "");
    return g.startsWith("GC") || g.startsWith("G1") ? "gc" : g;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
