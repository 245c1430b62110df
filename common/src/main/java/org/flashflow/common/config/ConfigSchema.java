package org.flashflow.common.config;

import static java.util.Map.entry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every known section and key with its default, as a string before interpolation. This is the one
 * place a new key is added (together with a commented example in {@code config/}); anything not
 * listed here draws an "unknown key" warning, because it is most likely a typo.
 */
public final class ConfigSchema {
  /** Sections whose keys are names chosen by the operator, so no key there is unknown. */
  private static final Set<String> FREE_FORM = Set.of("measurers");

  private static final Map<String, Map<String, String>> DEFAULTS = build();

  private ConfigSchema() {}

  private static Map<String, Map<String, String>> build() {
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    section(
        s,
        "coord",
        entry("datadir", "data-coord"),
        entry("keydir", "${datadir}/keys"),
        entry("key", "${keydir}/coord.pem"),
        entry("resultsdir", "${datadir}/results"),
        entry("results_log", "${resultsdir}/results.log"),
        entry("tor_datadir", "${datadir}/tor"),
        entry("listen_addr", "localhost:12934"),
        entry("ctrl_addr", "localhost:12935"),
        entry("ctrl_socket", ""),
        entry("ctrl_group", ""),
        entry("ctrl_auth", "cookie"),
        entry("ctrl_cookie_file", "${datadir}/ctrl_auth_cookie"),
        entry("ctrl_password_hash", ""),
        entry("state_file", "${datadir}/state.json"));
    section(
        s,
        "v3bw",
        entry("v3bw", "${coord:datadir}/v3bw/v3bw"),
        // Empty: the group of debian-tor if that user exists; "none": no group.
        entry("group", ""),
        entry("max_results_age", "604800"),
        entry("interval", "1 hour"),
        // sbws's rule and default: too few eligible relays and every relay gets vote=0.
        entry("minimum_percent_eligible_relays", "60"),
        entry("minimum_number_eligible_relays", "0"));
    section(
        s,
        "cleanup",
        // sbws's defaults: rotated results logs gzipped after 29 days and deleted after 57,
        // bandwidth files gzipped after 1 day and deleted after 7.
        entry("results_compress_after", "29 days"),
        entry("results_delete_after", "57 days"),
        entry("v3bw_compress_after", "1 day"),
        entry("v3bw_delete_after", "7 days"));
    section(
        s,
        "meas_params",
        entry("meas_duration", "30"),
        entry("bg_percent", "0.25"),
        entry("setup_timeout", "30"),
        entry("report_timeout", "5"),
        // Empty: meas_duration + 15 s, computed by the coordinator.
        entry("active_timeout", ""));
    section(
        s,
        "measurer",
        entry("datadir", "data-meas"),
        entry("keydir", "${datadir}/keys"),
        entry("key", "${keydir}/measurer.pem"),
        entry("coord_cert", "${keydir}/coord.pem"),
        entry("tor_datadir", "${datadir}/tor"),
        entry("coord_addr", "localhost:12934"),
        entry("circ_build_timeout", "20"));
    section(
        s,
        "ctrl",
        entry("coord_addr", "localhost:12935"),
        entry("socket", "${coord:ctrl_socket}"),
        entry("auth", "${coord:ctrl_auth}"),
        entry("cookie_file", "${coord:ctrl_cookie_file}"),
        entry("password", ""));
    section(
        s,
        "tor",
        entry("tor_bin", "tor"),
        entry("torrc_extra_lines", ""),
        entry("control_addr", ""),
        entry("control_socket", ""),
        entry("control_password", ""),
        entry("cookie_file", ""),
        entry("command_timeout", "10"),
        entry("reconnect_max_backoff", "60"));
    section(
        s,
        "schedule",
        entry("enabled", "true"),
        entry("period", "1 day"),
        // Empty: meas_duration + 5 s (measurements packed back to back), computed by the
        // coordinator.
        entry("slot", ""),
        entry("multiplier", "2.25"),
        entry("num_circs", "160"),
        entry("relay_filter_list", ""),
        entry("default_measurer_capacity", "100 Mbit/s"),
        entry("new_relay_prior", "advertised"),
        entry("consensus_poll", "10 min"),
        // docs/operations.md, "Stall alarm": about 17 slots of the default 35 s.
        entry("stall_after", "10 min"));
    section(s, "measurers");
    // Both daemons: the Prometheus endpoint, off unless set (docs/operations.md, "Metrics").
    section(s, "metrics", entry("addr", ""));
    return Collections.unmodifiableMap(s);
  }

  @SafeVarargs
  private static void section(
      Map<String, Map<String, String>> sections,
      String name,
      Map.Entry<String, String>... entries) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) {
      keys.put(e.getKey(), e.getValue());
    }
    sections.put(name, Collections.unmodifiableMap(keys));
  }

  /** Known sections in documentation order, each with its keys and raw defaults in order. */
  public static Map<String, Map<String, String>> defaults() {
    return DEFAULTS;
  }

  public static boolean isKnownSection(String section) {
    return DEFAULTS.containsKey(section);
  }

  /** Whether a key may appear in a file without a warning. */
  public static boolean isKnownKey(String section, String key) {
    return FREE_FORM.contains(section)
        || (DEFAULTS.containsKey(section) && DEFAULTS.get(section).containsKey(key));
  }

  public static boolean isFreeForm(String section) {
    return FREE_FORM.contains(section);
  }

  /** The raw default, or empty for a key that has none (free-form or unknown). */
  public static Optional<String> defaultValue(String section, String key) {
    return Optional.ofNullable(DEFAULTS.getOrDefault(section, Map.of()).get(key));
  }
}
