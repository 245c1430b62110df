package org.flashflow.systest.dirauth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short-lived external commands (tor-gencert, tor --list-fingerprint, python3, java). */
final class Exec {
  /** What a finished command did; stdout and stderr are read separately. */
  record Result(List<String> command, int exit, String out, String err) {
    /** For failure messages. */
    String describe() {
      return String.join(" ", command)
          + " exited "
          + exit
          + "\n--- stdout:\n"
          + out
          + "\n--- stderr:\n"
          + err;
    }
  }

  private Exec() {}

  /** Whether an executable {@code name} is on the PATH. */
  static boolean onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code command} with {@code stdin} as its input, waits at most {@code timeout} (then kills
   * it and fails), and returns what it did whatever its exit code.
   */
  static Result run(List<String> command, String stdin, Duration timeout) throws IOException {
    Path out = Files.createTempFile("ff-exec-", ".out");
    Path err = Files.createTempFile("ff-exec-", ".err");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        try (OutputStream in = p.getOutputStream()) {
          in.write(stdin.getBytes(UTF_8));
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(
              "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new AssertionError("interrupted while running " + command, e);
      }
      return new Result(
          List.copyOf(command), p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** As {@link #run}, failing unless the command exits 0. */
  static Result ok(List<String> command, String stdin, Duration timeout) throws IOException {
    Result r = run(command, stdin, timeout);
    if (r.exit() != 0) {
      throw new AssertionError(r.describe());
    }
    return r;
  }
}
