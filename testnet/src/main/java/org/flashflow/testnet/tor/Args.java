package org.flashflow.testnet.tor;

import java.util.Locale;
import java.util.regex.Pattern;

/** Reads the arguments of FlashFlow's control commands; each failure is a 512 reply line. */
final class Args {
  private static final Pattern FP = Pattern.compile("\\$?[0-9A-Fa-f]{40}");

  private Args() {}

  /** Thrown with the reply line to send. */
  static final class BadArgument extends Exception {
    private static final long serialVersionUID = 1L;

    BadArgument(String line) {
      super(line);
    }
  }

  static long number(String command, String what, String text, long min, long max)
      throws BadArgument {
    try {
      if (!text.chars().allMatch(c -> c >= '0' && c <= '9') || text.length() > 18) {
        throw new NumberFormatException();
      }
      long v = Long.parseLong(text);
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadArgument(
          "512 Invalid "
              + what
              + " \""
              + text
              + "\" to "
              + command
              + " ("
              + min
              + " to "
              + max
              + ")");
    }
  }

  static String fingerprint(String command, String text) throws BadArgument {
    if (!FP.matcher(text).matches()) {
      throw new BadArgument("512 Invalid relay fingerprint \"" + text + "\" to " + command);
    }
    return (text.startsWith("$") ? text.substring(1) : text).toUpperCase(Locale.ROOT);
  }

  static String noSuchRouter(String fp) {
    return "552 No such router \"" + fp + "\"";
  }
}
