package org.flashflow.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The harness's command line.
 *
 * @param measurers K, TLS measurer clients
 * @param concurrent M, measurements kept running at once
 * @param duration one measured window
 * @param warmup before the first window
 * @param rate measurer reports per second in all that the clients aim for (each report source of
 *     each running measurement sends one per {@code M * perMeas / rate} s); 0 sends a measurement's
 *     {@code dur} reports all at once on Go
 * @param dur reports per measurement ({@code meas_duration}, seconds in production)
 * @param perMeas measurers per measurement
 * @param runs measured windows, one after the other
 * @param logLevel of the coordinator's log (a file in the temp directory); production runs INFO
 * @param resultsDir where the results log goes; empty for the temp directory. The writer fsyncs
 *     once per measurement, so on a disk this bounds measurements per second; a tmpfs such as
 *     {@code /dev/shm} takes that bound away to show what the loop itself can do
 * @param metrics whether the coordinator records Prometheus metrics, served on loopback and scraped
 *     once a second by a thread of the harness (as the daemon with {@code [metrics] addr})
 */
record Options(
    int measurers,
    int concurrent,
    Duration duration,
    Duration warmup,
    long rate,
    int dur,
    int perMeas,
    int runs,
    String logLevel,
    String resultsDir,
    boolean metrics) {
  static final String USAGE =
      "usage: bench-coord K M DURATION WARMUP [--rate=R] [--dur=30] [--per-meas=3] [--runs=3]"
          + " [--log=info|warn|off] [--results-dir=DIR] [--metrics=on|off]\n"
          + "  K measurers, M concurrent measurements, DURATION and WARMUP in seconds (10 or 10s);\n"
          + "  --rate: measurer reports/s in all (0, the default: each measurement's reports at"
          + " once)";

  Options {
    if (measurers < 1 || concurrent < 1 || runs < 1 || dur < 1) {
      throw new IllegalArgumentException("K, M, --runs and --dur must be at least 1");
    }
    if (perMeas < 1 || perMeas > measurers) {
      throw new IllegalArgumentException("--per-meas must be 1..K, not " + perMeas);
    }
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must not be negative");
    }
  }

  static Options parse(String[] args) {
    if (args.length < 4) {
      throw new IllegalArgumentException("need K M DURATION WARMUP");
    }
    long rate = 0;
    int dur = 30;
    int perMeas = -1;
    int runs = 3;
    String log = "INFO";
    String resultsDir = "";
    boolean metrics = false;
    for (int i = 4; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unknown argument " + a);
      }
      String key = a.substring(2, eq);
      String value = a.substring(eq + 1);
      switch (key) {
        case "rate" -> rate = number(key, value);
        case "dur" -> dur = (int) number(key, value);
        case "per-meas" -> perMeas = (int) number(key, value);
        case "runs" -> runs = (int) number(key, value);
        case "log" -> log = value.toUpperCase(Locale.ROOT);
        case "results-dir" -> resultsDir = value;
        case "metrics" -> {
          if (!value.equals("on") && !value.equals("off")) {
            throw new IllegalArgumentException("--metrics must be on or off, not " + value);
          }
          metrics = value.equals("on");
        }
        default -> throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    int k = (int) number("K", args[0]);
    return new Options(
        k,
        (int) number("M", args[1]),
        seconds("DURATION", args[2]),
        seconds("WARMUP", args[3]),
        rate,
        dur,
        perMeas < 0 ? Math.min(3, k) : perMeas,
        runs,
        log,
        resultsDir,
        metrics);
  }

  /** Between two reports of one source, or 0 for all at once. */
  long intervalNanos() {
    return rate == 0 ? 0 : Math.max(1, Math.round(1e9 * concurrent * perMeas / rate));
  }

  private static long number(String what, String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, not " + s, e);
    }
  }

  private static Duration seconds(String what, String s) {
    String n = s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
    return Duration.ofSeconds(number(what, n));
  }
}
