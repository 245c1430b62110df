package org.flashflow.coord.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;

/**
 * The automatic schedule's part of the coordinator's configuration: {@code [schedule]}, {@code
 * [measurers]}, {@code [coord] state_file} and {@code [v3bw] interval}.
 *
 * @param enabled {@code [schedule] enabled}; false: measurements only on {@code measure}
 * @param filter the relay filter list, already read (a missing file or bad line stops startup);
 *     every relay when unset or when the schedule is disabled
 * @param stateFile where the schedule is kept across restarts
 * @param consensusPoll {@code [schedule] consensus_poll}: how often the consensus is read again
 *     within a period when tor announced no new one (NEWCONSENSUS) meanwhile
 * @param v3bwInterval how often a bandwidth file is written (whether or not the schedule runs)
 * @param stallAfter {@code [schedule] stall_after}: relays due and no scheduled measurement
 *     completed for this long is a stall (docs/operations.md, "Stall alarm")
 */
public record ScheduleConfig(
    boolean enabled,
    ScheduleSettings settings,
    RelayFilter filter,
    Path stateFile,
    Duration consensusPoll,
    Duration v3bwInterval,
    Duration stallAfter) {

  public ScheduleConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(stateFile, "stateFile");
    Objects.requireNonNull(consensusPoll, "consensusPoll");
    Objects.requireNonNull(v3bwInterval, "v3bwInterval");
    Objects.requireNonNull(stallAfter, "stallAfter");
  }

  /** Reads the keys; the relay filter list file is read only when the schedule is enabled. */
  public static ScheduleConfig from(Config c) throws ConfigException {
    boolean enabled = c.bool("schedule", "enabled");
    ScheduleSettings settings = ScheduleSettings.from(c);
    RelayFilter filter = RelayFilter.all();
    Optional<Path> filterFile = c.optionalPath("schedule", "relay_filter_list");
    if (enabled && filterFile.isPresent()) {
      try {
        filter = RelayFilter.load(filterFile.get());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            c.source() + ": [schedule] relay_filter_list: " + e.getMessage(), e);
      }
    }
    Duration poll = c.duration("schedule", "consensus_poll");
    if (poll.compareTo(Duration.ofSeconds(1)) < 0) {
      throw ConfigException.badValue(
          "schedule", "consensus_poll", c.string("schedule", "consensus_poll"), "at least 1 s");
    }
    Duration interval = c.duration("v3bw", "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw ConfigException.badValue(
          "v3bw", "interval", c.string("v3bw", "interval"), "at least 1 s");
    }
    Duration stallAfter = c.duration("schedule", "stall_after");
    if (stallAfter.compareTo(settings.slot()) < 0) {
      throw ConfigException.badValue(
          "schedule",
          "stall_after",
          c.string("schedule", "stall_after"),
          "a duration of at least one slot (" + settings.slot().toSeconds() + " s)");
    }
    return new ScheduleConfig(
        enabled, settings, filter, c.path("coord", "state_file"), poll, interval, stallAfter);
  }
}
