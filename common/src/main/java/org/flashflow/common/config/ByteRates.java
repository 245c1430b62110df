package org.flashflow.common.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte rates as operators write them ({@code 1 Gbit/s}, {@code 125 MB/s}, {@code 10 KiB/s}), as
 * whole bytes per second. Bits and bytes are spelled out ({@code bit}, {@code B}) because a lone
 * {@code b} is read both ways in the wild and a factor of 8 is not a typo to guess at.
 */
public final class ByteRates {
  /** What {@link #parse} accepts, for error messages. */
  public static final String EXPECTED =
      "a positive byte rate: bytes/s, or e.g. 125 MB/s, 1 Gbit/s, 10 KiB/s (k M G T = 1000^n, Ki"
          + " Mi Gi Ti = 1024^n, B = byte, bit = 1/8 byte)";

  private static final Pattern FORMAT =
      Pattern.compile(
          "(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:([kKMGT]i?)?(?:(B|bytes?|bits?)(?:/s|ps)?|(bps))|/s)?");

  private static final Map<String, Long> PREFIXES =
      Map.ofEntries(
          Map.entry("k", 1000L),
          Map.entry("K", 1000L),
          Map.entry("M", 1000L * 1000),
          Map.entry("G", 1000L * 1000 * 1000),
          Map.entry("T", 1000L * 1000 * 1000 * 1000),
          Map.entry("Ki", 1024L),
          Map.entry("ki", 1024L),
          Map.entry("Mi", 1024L * 1024),
          Map.entry("Gi", 1024L * 1024 * 1024),
          Map.entry("Ti", 1024L * 1024 * 1024 * 1024));

  private ByteRates() {}

  /**
   * Parses a rate, rounding down to whole bytes per second; it must come out above zero.
   *
   * @throws IllegalArgumentException with {@link #EXPECTED} as message
   */
  public static long parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    BigDecimal rate = new BigDecimal(m.group(1));
    if (m.group(2) != null) {
      rate = rate.multiply(BigDecimal.valueOf(PREFIXES.get(m.group(2))));
    }
    boolean bits = m.group(4) != null || (m.group(3) != null && m.group(3).startsWith("bit"));
    if (bits) {
      rate = rate.divide(BigDecimal.valueOf(8));
    }
    BigInteger bytes = rate.setScale(0, RoundingMode.DOWN).toBigInteger();
    if (bytes.signum() <= 0 || bytes.bitLength() > 63) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return bytes.longValue();
  }

  /** A short human form for logs and status lines, such as {@code 125.00 MB/s (1.00 Gbit/s)}. */
  public static String format(long bytesPerSecond) {
    return String.format(
        Locale.ROOT,
        "%s (%s)",
        scaled((double) bytesPerSecond, "B/s"),
        scaled(bytesPerSecond * 8.0, "bit/s"));
  }

  private static String scaled(double value, String unit) {
    String[] prefixes = {"", "k", "M", "G", "T", "P"};
    int i = 0;
    while (value >= 1000 && i < prefixes.length - 1) {
      value /= 1000;
      i++;
    }
    return i == 0
        ? String.format(Locale.ROOT, "%.0f %s", value, unit)
        : String.format(Locale.ROOT, "%.2f %s%s", value, prefixes[i], unit);
  }
}
