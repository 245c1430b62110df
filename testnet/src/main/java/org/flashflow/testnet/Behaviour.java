package org.flashflow.testnet;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an emulated relay behaves towards a measurement, so that demos and tests can show every way a
 * measurement fails or a relay cheats. The config spelling is the lower-case name with dashes.
 */
public enum Behaviour {
  /** Echoes every cell, throttles background to r, reports what it carried. */
  HONEST,
  /** Answers the measurement parameters with {@code PARAMS_OK ACCEPTED=FALSE}. */
  REFUSES,
  /** Reports ten times its capacity as background, whatever it carried. */
  LIES,
  /** Echoes only every other measurement cell, so a measurer receives half of what it sent. */
  DROPS,
  /** Never completes a circuit: neither the coordinator's nor the measurers' (TLS never starts). */
  NEVER_BUILDS,
  /** After half of its reports, ends with {@code END SUCCESS=FALSE} and drops every connection. */
  DIES,
  /** Sends its background reports at a long interval instead of once a second. */
  SLOW;

  /** The spelling in {@code testnet.ini}, e.g. {@code never-builds}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Reads a config spelling, case-insensitive, {@code _} or {@code -}.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static Behaviour parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Behaviour b : values()) {
      if (b.name().equals(t)) {
        return b;
      }
    }
    throw new IllegalArgumentException("one of " + names());
  }

  /** All config spellings, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Behaviour::configName).collect(Collectors.joining(", "));
  }
}
