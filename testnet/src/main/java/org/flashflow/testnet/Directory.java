package org.flashflow.testnet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The emulated consensus: every relay with its OR port, in configuration order. Immutable, so every
 * tor (on whichever loop) reads the same one without coordination.
 *
 * @param published the time every router status entry shows (the network's start)
 */
public record Directory(List<RelayEntry> relays, String seed, Instant published) {
  public Directory {
    relays = List.copyOf(relays);
  }

  /** By fingerprint, case-insensitive, with or without a leading {@code $}. */
  public Optional<RelayEntry> byFingerprint(String fp) {
    String f = fp.startsWith("$") ? fp.substring(1) : fp;
    String up = f.toUpperCase(Locale.ROOT);
    return relays.stream().filter(r -> r.fingerprint().equals(up)).findFirst();
  }

  /** By nickname, case-insensitive as in tor. */
  public Optional<RelayEntry> byNickname(String nick) {
    return relays.stream().filter(r -> r.nickname().equalsIgnoreCase(nick)).findFirst();
  }

  /** Fingerprint to nickname, in order. */
  public Map<String, String> nicknames() {
    Map<String, String> m = new LinkedHashMap<>();
    relays.forEach(r -> m.put(r.fingerprint(), r.nickname()));
    return m;
  }
}
