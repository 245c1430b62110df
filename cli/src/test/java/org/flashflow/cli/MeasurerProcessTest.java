package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.flashflow.common.testing.ClosedPort;
import org.flashflow.common.tls.KeyGen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flashflow measurer} as a real process, as systemd runs it: SIGHUP ({@code systemctl
 * reload}, the unit's ExecReload) logs its state and leaves it running; SIGTERM still stops it with
 * exit code 0. Its coordinator and tor are ports nobody listens on: it keeps retrying both.
 */
class MeasurerProcessTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Process process;

  @AfterEach
  void tearDown() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void sighupLogsTheStateAndDoesNotStopTheMeasurer() throws Exception {
    try (ClosedPort coord = ClosedPort.closed();
        ClosedPort tor = ClosedPort.closed()) {
      Path keys = dir.resolve("data/keys");
      KeyGen.generate("alice", keys.resolve("measurer.pem"));
      KeyGen.generate("coord", keys.resolve("coord.pem"));
      Path ini = dir.resolve("measurer.ini");
      Files.writeString(
          ini,
          "[measurer]\ndatadir = "
              + dir.resolve("data")
              + "\ncoord_addr = 127.0.0.1:"
              + coord.port()
              + "\n[tor]\ncontrol_addr = 127.0.0.1:"
              + tor.port()
              + "\nreconnect_max_backoff = 1\n");
      Path log = dir.resolve("measurer.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      "org.flashflow.cli.Main",
                      "measurer",
                      "-c",
                      ini.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      await(() -> read(log).contains("measurer starting"), "the measurer to start", log);

      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, kill.exitValue());

      await(
          () -> read(log).contains("SIGHUP: coordinator not connected, tor "),
          "the measurer to log its state",
          log);
      assertTrue(process.isAlive(), read(log));

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), read(log));
      assertEquals(0, process.exitValue(), read(log));
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private void await(BooleanSupplier condition, String what, Path log) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "waiting for "
                + what
                + (process.isAlive() ? ": timed out" : ": the process exited")
                + "; output:\n"
                + read(log));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
