package org.flashflow.common.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: a plain number is seconds (the original Python configs used
 * integer seconds), or a number with a unit such as {@code 500 ms}, {@code 2 min}, {@code 1 day}.
 */
public final class Durations {
  /** What {@link #parse} accepts, for error messages. */
  public static final String EXPECTED =
      "a duration: seconds, or a number with a unit (ms, s, min, h, day, week), e.g. 30 s";

  private static final Pattern FORMAT =
      Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([a-zA-Z]*)");

  private static final long SECOND = 1_000_000_000L;

  private static final Map<String, Long> UNIT_NANOS =
      Map.ofEntries(
          Map.entry("", SECOND),
          Map.entry("ms", 1_000_000L),
          Map.entry("msec", 1_000_000L),
          Map.entry("millisecond", 1_000_000L),
          Map.entry("milliseconds", 1_000_000L),
          Map.entry("s", SECOND),
          Map.entry("sec", SECOND),
          Map.entry("secs", SECOND),
          Map.entry("second", SECOND),
          Map.entry("seconds", SECOND),
          Map.entry("m", 60 * SECOND),
          Map.entry("min", 60 * SECOND),
          Map.entry("mins", 60 * SECOND),
          Map.entry("minute", 60 * SECOND),
          Map.entry("minutes", 60 * SECOND),
          Map.entry("h", 3600 * SECOND),
          Map.entry("hr", 3600 * SECOND),
          Map.entry("hrs", 3600 * SECOND),
          Map.entry("hour", 3600 * SECOND),
          Map.entry("hours", 3600 * SECOND),
          Map.entry("d", 86400 * SECOND),
          Map.entry("day", 86400 * SECOND),
          Map.entry("days", 86400 * SECOND),
          Map.entry("w", 604800 * SECOND),
          Map.entry("week", 604800 * SECOND),
          Map.entry("weeks", 604800 * SECOND));

  private Durations() {}

  /**
   * Parses a non-negative duration, rounding down to whole nanoseconds.
   *
   * @throws IllegalArgumentException with {@link #EXPECTED} as message
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    Long unit = UNIT_NANOS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (unit == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    BigDecimal nanos =
        new BigDecimal(m.group(1))
            .multiply(BigDecimal.valueOf(unit))
            .setScale(0, RoundingMode.DOWN);
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(EXPECTED + " (this one is too long)", e);
    }
  }

  /** The shortest exact form {@link #parse} reads back, such as {@code 90 s} or {@code 1 day}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0 s";
    }
    long nanos = d.toNanos();
    if (nanos % SECOND != 0) {
      return (nanos / 1_000_000L) + " ms";
    }
    long s = d.toSeconds();
    if (s % 604800 == 0) {
      return s / 604800 + (s == 604800 ? " week" : " weeks");
    }
    if (s % 86400 == 0) {
      return s / 86400 + (s == 86400 ? " day" : " days");
    }
    if (s % 3600 == 0) {
      return s / 3600 + " h";
    }
    if (s % 60 == 0) {
      return s / 60 + " min";
    }
    return s + " s";
  }
}
