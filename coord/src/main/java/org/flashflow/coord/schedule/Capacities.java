package org.flashflow.coord.schedule;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How fast each measurer can send and receive ({@code [measurers] NAME = rate}), in bytes/s. A
 * measurer that connects without an entry gets {@code defaultCapacity}: measuring with a guess
 * beats not measuring with a measurer the operator trusted enough to give a certificate, and the
 * caller logs a WARN (see {@link #unconfigured}) so that the guess gets replaced.
 *
 * @param configured measurer name (its certificate's O=) to bytes/s
 * @param defaultCapacity bytes/s for a measurer without an entry
 */
public record Capacities(Map<String, Long> configured, long defaultCapacity) {
  public Capacities {
    configured = Map.copyOf(new TreeMap<>(Objects.requireNonNull(configured, "configured")));
    for (Map.Entry<String, Long> e : configured.entrySet()) {
      if (e.getValue() < 1) {
        throw new IllegalArgumentException(
            "measurer " + e.getKey() + " capacity must be positive, not " + e.getValue());
      }
    }
    if (defaultCapacity < 1) {
      throw new IllegalArgumentException(
          "default measurer capacity must be positive, not " + defaultCapacity);
    }
  }

  /** The capacity of {@code name}, bytes/s. */
  public long of(String name) {
    return configured.getOrDefault(name, defaultCapacity);
  }

  /** Whether {@code name} has its own entry. */
  public boolean isConfigured(String name) {
    return configured.containsKey(name);
  }

  /** The names in {@code connected} without an entry, sorted: the ones to WARN about. */
  public java.util.List<String> unconfigured(Collection<String> connected) {
    return connected.stream().filter(n -> !isConfigured(n)).sorted().toList();
  }

  /** Sum of the capacities of {@code names}, bytes/s. */
  public long total(Collection<String> names) {
    long sum = 0;
    for (String n : names) {
      sum = Math.addExact(sum, of(n));
    }
    return sum;
  }
}
