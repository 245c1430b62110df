package org.flashflow.proto;

import java.util.Locale;
import java.util.Objects;

/**
 * Field checks shared by the record constructors and the codec. The field name is a parameter so
 * that the codec can report the wire name ({@code n_circs}) where a Java caller sees the component
 * name ({@code nCircs}).
 */
final class Checks {
  static final int FP_HEX_DIGITS = 40;

  private Checks() {}

  static long measId(long value, String field) {
    if (value < 0 || value > Message.MAX_MEAS_ID) {
      throw new IllegalArgumentException(
          field + " must be in 0.." + Message.MAX_MEAS_ID + ", got " + value);
    }
    return value;
  }

  /**
   * Returns the fingerprint in upper case. The message never echoes the value: it may be long or
   * hold control characters that would end up verbatim in a log line.
   */
  static String fingerprint(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.length() != FP_HEX_DIGITS) {
      throw new IllegalArgumentException(
          field
              + " must be "
              + FP_HEX_DIGITS
              + " hex digits, got "
              + value.length()
              + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (!isAsciiHex(value.charAt(i))) {
        throw new IllegalArgumentException(
            field + " must be " + FP_HEX_DIGITS + " hex digits, got a non-hex character at " + i);
      }
    }
    return value.toUpperCase(Locale.ROOT);
  }

  static long atLeast(long value, long min, String field) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  static long nonNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative, got " + value);
    }
    return value;
  }

  static double finite(double value, String field) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, got " + value);
    }
    return value;
  }

  /** Unlike {@link Character#digit}, refuses non-ASCII digits such as U+0661. */
  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
