package org.flashflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's child processes: {@code flashflow} subcommands in new JVMs of the same java binary and
 * class path as this one, each with its output in a log file. {@link #stopAll} ends every one of
 * them, whatever happened before.
 */
final class DemoProcesses {
  /** How long a child may take to stop cleanly after SIGTERM before it is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  /** One started child. */
  record Child(String name, Process process, Path log) {
    /** The last {@code n} lines of its log, for error messages. */
    String tail(int n) {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e.getMessage() + ")";
      }
    }
  }

  private final List<Child> children = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "demo-children-stop");
  private boolean hookInstalled;

  /**
   * Stops the children if the JVM exits some other way (SIGHUP, System.exit elsewhere); {@link
   * #stopAll} removes it again.
   */
  synchronized void installShutdownHook() {
    Runtime.getRuntime().addShutdownHook(hook);
    hookInstalled = true;
  }

  /**
   * Starts {@code flashflow ARGS...} in a new JVM.
   *
   * @param jvmOptions extra JVM options for this child
   */
  synchronized Child start(String name, Path log, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Child c = new Child(name, p, log);
    children.add(c);
    return c;
  }

  /** A child that has exited, if any: the demo cannot go on without every one of them. */
  synchronized List<Child> exited() {
    return children.stream().filter(c -> !c.process().isAlive()).toList();
  }

  /**
   * SIGTERM to every child still running, in reverse order of start (so the network goes last and
   * nobody logs its loss), then SIGKILL to any that has not exited within the grace time. Safe to
   * call more than once and from a shutdown hook.
   */
  synchronized void stopAll() {
    List<Child> reversed = new ArrayList<>(children);
    Collections.reverse(reversed);
    // All but the network first, together: they stop independently.
    List<Child> network =
        reversed.isEmpty() ? List.of() : List.of(reversed.get(reversed.size() - 1));
    List<Child> others = reversed.subList(0, Math.max(0, reversed.size() - 1));
    stop(others);
    stop(network);
    if (hookInstalled && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down already; the hook runs, finds nothing alive, and returns.
      }
      hookInstalled = false;
    }
  }

  private static void stop(List<Child> group) {
    for (Child c : group) {
      c.process().descendants().forEach(ProcessHandle::destroy);
      c.process().destroy();
    }
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (Child c : group) {
      waitFor(c.process(), deadline);
    }
    for (Child c : group) {
      c.process().descendants().forEach(ProcessHandle::destroyForcibly);
      if (c.process().isAlive()) {
        c.process().destroyForcibly();
        waitFor(c.process(), System.nanoTime() + KILL_WAIT.toNanos());
      }
    }
  }

  private static void waitFor(Process p, long deadlineNanos) {
    boolean interrupted = false;
    while (p.isAlive()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.waitFor(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true; // finish stopping the children first
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
