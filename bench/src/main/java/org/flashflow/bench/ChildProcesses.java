package org.flashflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the benches that time a new JVM share: running a child with its output in a file, its wall
 * time, a table row of median, min and max, and cleaning up.
 */
public final class ChildProcesses {
  private static final long CHILD_LIMIT_MINUTES = 10;

  private ChildProcesses() {}

  /** How a child ended: its wall time from start to exit, exit code and output (both streams). */
  public record Child(long ms, int exit, String output) {
    /** "ok", the exit code with "OutOfMemoryError" if it ran out, else the exit code. */
    public String outcome() {
      if (output.contains("OutOfMemoryError")) {
        return "exit " + exit + ": OutOfMemoryError";
      }
      return exit == 0 ? "ok" : "exit " + exit;
    }
  }

  /** This JVM's {@code java}, for children that must run the same one. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code cmd} with {@code env} added to this process's environment, its output in {@code
   * dir/child.out}, and waits up to ten minutes.
   */
  public static Child run(Path dir, List<String> cmd, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = dir.resolve("child.out");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    long t = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(CHILD_LIMIT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("child did not finish: " + cmd);
    }
    long ms = ms(t);
    return new Child(ms, p.exitValue(), Files.readString(out));
  }

  /** {@code java} of this JVM with {@code args}. */
  public static Child java(Path dir, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(args);
    return run(dir, cmd, Map.of());
  }

  /** A row: the name padded to {@code width}, median, min and max in ms, heap, outcome. */
  public static String row(int width, String name, long[] ms, String heap, String outcome) {
    long[] s = ms.clone();
    Arrays.sort(s);
    return String.format(
        Locale.ROOT,
        "%-" + width + "s %6d ms %6d ms %6d ms %10s  %s",
        name,
        median(ms),
        s[0],
        s[s.length - 1],
        heap,
        outcome);
  }

  /** The middle value (the upper one of an even count). */
  public static long median(long[] ms) {
    long[] s = ms.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Milliseconds since {@code startNanos} ({@link System#nanoTime}). */
  public static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Deletes {@code dir} and everything below it. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
