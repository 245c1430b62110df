package org.flashflow.testnet.relay;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an emulated relay really forwarded during one measurement, logged as one line when its side
 * of the measurement ends: per report interval, measurement and background traffic together
 * (bytes/s), and how long its event loop was stalled (a tick far behind its time: the emulator got
 * no CPU, so the relay could not forward meanwhile). On a busy machine the emulator falls short of
 * a relay's capacity in real time; this line tells that apart from FlashFlow falling short. Pure.
 *
 * @param nick the relay's nickname
 * @param measId the measurement
 * @param capacity what the relay could forward, bytes/s (bandwidth or CPU, the lower)
 * @param perSecond forwarded per interval, bytes/s
 * @param stalledMs how long the relay's loop was stalled while measured
 */
public record CarriedSummary(
    String nick, long measId, long capacity, List<Long> perSecond, long stalledMs) {
  /**
   * A gap between an event loop's ticks longer than this is a stall: the loop got no CPU meanwhile
   * (a time slice of a busy machine is a few ms).
   */
  public static final long STALL_NANOS = 50_000_000L;

  // Any emulated tor's line at the end of a measurement: "measurement ID ended...; loop stalled
  // S ms" (the relay's, and each measurer tor's).
  private static final Pattern STALL =
      Pattern.compile("measurement (\\d+) ended[^;]*;.*loop stalled (\\d+) ms");

  private static final Pattern LINE =
      Pattern.compile(
          "relay (\\S+): measurement (\\d+) ended; carried per second \\(B/s, capacity (\\d+)\\):"
              + " ([\\d ]*); loop stalled (\\d+) ms");

  public CarriedSummary {
    perSecond = List.copyOf(perSecond);
  }

  /** The log line (without the logger's prefix). */
  public String line() {
    return "relay "
        + nick
        + ": measurement "
        + measId
        + " ended; carried per second (B/s, capacity "
        + capacity
        + "): "
        + perSecond.stream().map(String::valueOf).collect(Collectors.joining(" "))
        + "; loop stalled "
        + stalledMs
        + " ms";
  }

  /**
   * The longest stall that any emulated tor's loop (the relay's, a measurer tor's) logged for
   * measurement {@code measId}; 0 if none did.
   */
  public static long longestStallMs(List<String> logLines, long measId) {
    long max = 0;
    for (String l : logLines) {
      Matcher m = STALL.matcher(l);
      if (m.find() && Long.parseLong(m.group(1)) == measId) {
        max = Math.max(max, Long.parseLong(m.group(2)));
      }
    }
    return max;
  }

  /** The summary in a log line that holds one, wherever in the line it starts. */
  public static Optional<CarriedSummary> parse(String logLine) {
    Matcher m = LINE.matcher(logLine);
    if (!m.find()) {
      return Optional.empty();
    }
    String seconds = m.group(4).trim();
    List<Long> values =
        seconds.isEmpty()
            ? List.of()
            : Arrays.stream(seconds.split(" ")).map(Long::valueOf).toList();
    return Optional.of(
        new CarriedSummary(
            m.group(1),
            Long.parseLong(m.group(2)),
            Long.parseLong(m.group(3)),
            values,
            Long.parseLong(m.group(5))));
  }
}
