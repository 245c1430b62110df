package org.flashflow.testnet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.ConfigSchema;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.tls.KeyGen;

/**
 * Everything {@code testnet.ini} says, read once. The file is parsed with common's {@link Config}
 * (same syntax, interpolation and error messages as every other config), but its sections are not
 * in {@link ConfigSchema}: {@code [relay NICK]} sections are named by the operator, so this class
 * checks its own keys and ignores common's "unknown section" warnings for them.
 *
 * @param bind address every control port and OR port listens on
 * @param portBase 0: every port chosen by the OS; else coordinator tor at portBase, measurer i at
 *     portBase + 1 + i, relay j's OR port at portBase + 100 + j
 * @param bgPercent r of docs/protocol.md section 5, which relays enforce while measured
 * @param password for {@link AuthMode#PASSWORD}
 * @param circuitTimeout how long a circuit to a relay that never builds it takes to fail
 * @param slowInterval the report interval of {@link Behaviour#SLOW} relays
 * @param maxMeasDuration the relays' FFMaxMeasurementDuration: longest wait for the active phase
 * @param measurerLatency each measurer's share of the round trip ({@code [measurer NAME]}), by
 *     name; a measurer not in it has none
 * @param flow tor's circuit windows ({@code circuit_window}, {@code sendme_increment})
 */
public record TestnetConfig(
    Path datadir,
    String bind,
    int portBase,
    double bgPercent,
    List<String> measurers,
    AuthMode auth,
    Optional<String> password,
    String seed,
    Duration circuitTimeout,
    Duration slowInterval,
    Duration maxMeasDuration,
    List<RelaySpec> relays,
    Map<String, Latency> measurerLatency,
    FlowControl flow) {

  /** How the emulated tors' control ports authenticate controllers. */
  public enum AuthMode {
    /** {@code METHODS=NULL}: no authentication. */
    NULL,
    /** {@code METHODS=COOKIE,SAFECOOKIE} with a 32-byte cookie file per tor, like stock tor. */
    COOKIE,
    /** {@code METHODS=HASHEDPASSWORD}; the password is compared as given. */
    PASSWORD
  }

  static final String NETWORK = "network";
  static final String RELAY_PREFIX = "relay ";
  static final String MEASURER_PREFIX = "measurer ";
  private static final Set<String> NETWORK_KEYS =
      Set.of(
          "datadir",
          "bind",
          "port_base",
          "bg_percent",
          "measurers",
          "auth",
          "password",
          "seed",
          "circuit_timeout",
          "slow_interval",
          "max_meas_duration",
          "circuit_window",
          "sendme_increment");
  private static final Set<String> RELAY_KEYS =
      Set.of(
          "capacity",
          "background",
          "behaviour",
          "fingerprint",
          "advertised_avg",
          "rtt",
          "jitter",
          "background_sd",
          "background_period",
          "cpu");
  private static final Set<String> MEASURER_KEYS = Set.of("rtt", "jitter");

  public TestnetConfig {
    measurers = List.copyOf(measurers);
    relays = List.copyOf(relays);
    measurerLatency = Map.copyOf(measurerLatency);
    Objects.requireNonNull(flow, "flow");
    if (auth == AuthMode.PASSWORD && password.isEmpty()) {
      throw new IllegalArgumentException("auth = password needs a password");
    }
    for (String name : measurerLatency.keySet()) {
      if (!measurers.contains(name)) {
        throw new IllegalArgumentException("a round trip for " + name + ", not a measurer");
      }
    }
  }

  /** Loopback measurers and tor's circuit windows. */
  public TestnetConfig(
      Path datadir,
      String bind,
      int portBase,
      double bgPercent,
      List<String> measurers,
      AuthMode auth,
      Optional<String> password,
      String seed,
      Duration circuitTimeout,
      Duration slowInterval,
      Duration maxMeasDuration,
      List<RelaySpec> relays) {
    this(
        datadir,
        bind,
        portBase,
        bgPercent,
        measurers,
        auth,
        password,
        seed,
        circuitTimeout,
        slowInterval,
        maxMeasDuration,
        relays,
        Map.of(),
        FlowControl.TOR);
  }

  /** The round trip measurer {@code name} adds to every path. */
  public Latency measurerLatency(String name) {
    return measurerLatency.getOrDefault(name, Latency.NONE);
  }

  /**
   * Reads a parsed {@code testnet.ini}.
   *
   * @throws ConfigException naming section, key, value and what was expected
   */
  public static TestnetConfig from(Config c) throws ConfigException {
    if (c.section(NETWORK).isEmpty() && !c.sections().contains(NETWORK)) {
      throw new ConfigException(c.source() + ": no [network] section; is this a testnet.ini?");
    }
    Path datadir =
        c.isSet(NETWORK, "datadir") ? c.path(NETWORK, "datadir") : Path.of("data-testnet");
    String bind = c.isSet(NETWORK, "bind") ? c.string(NETWORK, "bind").strip() : "127.0.0.1";
    try {
      HostPort.parse((bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind) + ":0");
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(NETWORK, "bind", bind, "a host name or IP address");
    }
    int portBase = c.isSet(NETWORK, "port_base") ? c.integer(NETWORK, "port_base", 0, 65000) : 0;
    if (portBase != 0 && portBase < 1024) {
      throw ConfigException.badValue(
          NETWORK, "port_base", String.valueOf(portBase), "0 or a port from 1024 to 65000");
    }
    double r = c.isSet(NETWORK, "bg_percent") ? c.fraction(NETWORK, "bg_percent") : 0.25;
    List<String> measurers = measurers(c);
    AuthMode auth = authMode(c);
    Optional<String> password =
        c.isSet(NETWORK, "password") ? c.optionalString(NETWORK, "password") : Optional.empty();
    if (auth == AuthMode.PASSWORD && password.isEmpty()) {
      throw ConfigException.badValue(NETWORK, "password", "", "a password, as auth = password");
    }
    String seed = c.isSet(NETWORK, "seed") ? c.string(NETWORK, "seed") : "flashflow-testnet";
    Duration circuitTimeout = duration(c, "circuit_timeout", Duration.ofSeconds(5));
    Duration slowInterval = duration(c, "slow_interval", Duration.ofSeconds(6));
    Duration maxMeas = duration(c, "max_meas_duration", Duration.ofSeconds(45));
    int window =
        c.isSet(NETWORK, "circuit_window")
            ? c.integer(NETWORK, "circuit_window", 1, 1 << 20)
            : 1000;
    int increment =
        c.isSet(NETWORK, "sendme_increment")
            ? c.integer(NETWORK, "sendme_increment", 1, window)
            : Math.min(100, window);
    List<RelaySpec> relays = relays(c, seed);
    if (relays.isEmpty()) {
      throw new ConfigException(c.source() + ": no [relay NICK] section; the network is empty");
    }
    return new TestnetConfig(
        datadir,
        bind,
        portBase,
        r,
        measurers,
        auth,
        password,
        seed,
        circuitTimeout,
        slowInterval,
        maxMeas,
        relays,
        measurerLatencies(c, measurers),
        new FlowControl(window, increment));
  }

  /** Unknown keys and sections of a {@code testnet.ini}, as warnings (probably typos). */
  public static List<String> warnings(Config c) {
    List<String> out = new ArrayList<>();
    for (String section : c.sections()) {
      if (ConfigSchema.isKnownSection(section)) {
        // Defaults of the other commands' sections are always there; only the file's keys count.
        if (c.section(section).keySet().stream().anyMatch(k -> c.isSet(section, k))) {
          out.add("section [" + section + "] is not read by flashflow testnet");
        }
        continue;
      }
      Set<String> known;
      if (section.equals(NETWORK)) {
        known = NETWORK_KEYS;
      } else if (section.startsWith(RELAY_PREFIX)) {
        known = RELAY_KEYS;
      } else if (section.startsWith(MEASURER_PREFIX)) {
        known = MEASURER_KEYS;
      } else {
        out.add("unknown section [" + section + "] (a typo?)");
        continue;
      }
      for (String key : c.section(section).keySet()) {
        if (!known.contains(key)) {
          out.add("unknown key [" + section + "] " + key + " (a typo?)");
        }
      }
    }
    return out;
  }

  private static List<String> measurers(Config c) throws ConfigException {
    String text = c.isSet(NETWORK, "measurers") ? c.string(NETWORK, "measurers") : "measurer1";
    Set<String> names = new LinkedHashSet<>();
    for (String n : text.split("[,\\s]+")) {
      if (n.isEmpty()) {
        continue;
      }
      try {
        KeyGen.checkName(n);
      } catch (IllegalArgumentException e) {
        throw ConfigException.badValue(NETWORK, "measurers", text, "names: " + e.getMessage());
      }
      if (!n.matches("[A-Za-z0-9_.-]+") || !names.add(n)) {
        throw ConfigException.badValue(
            NETWORK, "measurers", text, "distinct names of letters, digits, '.', '_' or '-'");
      }
    }
    return List.copyOf(names);
  }

  private static AuthMode authMode(Config c) throws ConfigException {
    String a = c.isSet(NETWORK, "auth") ? c.string(NETWORK, "auth").strip() : "cookie";
    try {
      return AuthMode.valueOf(a.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(NETWORK, "auth", a, "cookie, password or null");
    }
  }

  private static Map<String, Latency> measurerLatencies(Config c, List<String> measurers)
      throws ConfigException {
    Map<String, Latency> out = new LinkedHashMap<>();
    for (String section : c.sections()) {
      if (!section.startsWith(MEASURER_PREFIX)) {
        continue;
      }
      String name = section.substring(MEASURER_PREFIX.length()).strip();
      if (!measurers.contains(name)) {
        throw new ConfigException(
            "["
                + section
                + "] in "
                + c.source()
                + ": no measurer "
                + name
                + " in [network] measurers ("
                + String.join(", ", measurers)
                + ")");
      }
      out.put(name, latency(c, section));
    }
    return out;
  }

  /** {@code rtt} and {@code jitter} of a relay or measurer section. */
  private static Latency latency(Config c, String section) throws ConfigException {
    Duration rtt = nonNegative(c, section, "rtt");
    Duration jitter = nonNegative(c, section, "jitter");
    if (jitter.compareTo(rtt) > 0) {
      throw ConfigException.badValue(
          section,
          "jitter",
          c.string(section, "jitter"),
          "at most rtt (" + rtt.toMillis() + " ms)");
    }
    return new Latency(rtt, jitter);
  }

  private static Duration nonNegative(Config c, String section, String key) throws ConfigException {
    if (!c.isSet(section, key)) {
      return Duration.ZERO;
    }
    Duration d = c.duration(section, key);
    if (d.isNegative() || d.compareTo(Duration.ofSeconds(10)) > 0) {
      throw ConfigException.badValue(
          section, key, c.string(section, key), "a duration from 0 to 10 s, e.g. 100 ms");
    }
    return d;
  }

  private static Duration duration(Config c, String key, Duration dflt) throws ConfigException {
    if (!c.isSet(NETWORK, key)) {
      return dflt;
    }
    Duration d = c.duration(NETWORK, key);
    if (d.isZero() || d.isNegative()) {
      throw ConfigException.badValue(NETWORK, key, c.string(NETWORK, key), "a positive duration");
    }
    return d;
  }

  private static List<RelaySpec> relays(Config c, String seed) throws ConfigException {
    List<RelaySpec> out = new ArrayList<>();
    Set<String> nicks = new LinkedHashSet<>();
    Set<String> fps = new LinkedHashSet<>();
    for (String section : c.sections()) {
      if (!section.startsWith(RELAY_PREFIX)) {
        continue;
      }
      String nick = section.substring(RELAY_PREFIX.length()).strip();
      Map<String, String> keys = c.section(section);
      if (!keys.containsKey("capacity")) {
        throw new ConfigException("[" + section + "] capacity is not set in " + c.source());
      }
      long capacity = c.byteRate(section, "capacity");
      double bg = c.isSet(section, "background") ? c.decimal(section, "background") : 0;
      if (!(bg >= 0 && bg <= 1)) {
        throw ConfigException.badValue(
            section, "background", c.string(section, "background"), "a fraction from 0 to 1");
      }
      Behaviour behaviour = Behaviour.HONEST;
      if (c.isSet(section, "behaviour")) {
        String b = c.string(section, "behaviour");
        try {
          behaviour = Behaviour.parse(b);
        } catch (IllegalArgumentException e) {
          throw ConfigException.badValue(section, "behaviour", b, e.getMessage());
        }
      }
      String fp =
          c.isSet(section, "fingerprint") && !c.string(section, "fingerprint").isBlank()
              ? c.string(section, "fingerprint").strip().replace("$", "").toUpperCase(Locale.ROOT)
              : Fingerprints.of(seed, nick);
      long advertisedAvg =
          c.isSet(section, "advertised_avg") ? c.byteRate(section, "advertised_avg") : 0;
      double sd = c.isSet(section, "background_sd") ? c.decimal(section, "background_sd") : 0;
      if (!(sd >= 0 && sd <= 10)) {
        throw ConfigException.badValue(
            section,
            "background_sd",
            c.string(section, "background_sd"),
            "a fraction from 0 to 10");
      }
      if (sd > 0 && bg == 0) {
        throw ConfigException.badValue(
            section,
            "background_sd",
            c.string(section, "background_sd"),
            "0, as background is 0 (bursts vary around the mean background)");
      }
      Duration period = RelaySpec.DEFAULT_BACKGROUND_PERIOD;
      if (c.isSet(section, "background_period")) {
        period = c.duration(section, "background_period");
        if (period.isZero() || period.isNegative()) {
          throw ConfigException.badValue(
              section,
              "background_period",
              c.string(section, "background_period"),
              "a positive duration");
        }
      }
      long cpu = c.isSet(section, "cpu") ? c.longValue(section, "cpu", 0, 1_000_000_000L) : 0;
      RelaySpec spec;
      try {
        spec =
            new RelaySpec(
                nick,
                fp,
                capacity,
                bg,
                behaviour,
                advertisedAvg,
                latency(c, section),
                sd,
                period,
                cpu);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("[" + section + "] in " + c.source() + ": " + e.getMessage(), e);
      }
      if (!nicks.add(nick.toLowerCase(Locale.ROOT)) || !fps.add(fp)) {
        throw new ConfigException(
            "[" + section + "] in " + c.source() + ": duplicate relay nickname or fingerprint");
      }
      out.add(spec);
    }
    return out;
  }
}
