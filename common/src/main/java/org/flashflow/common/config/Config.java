package org.flashflow.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parsed, interpolated configuration file over the {@link ConfigSchema} defaults. Immutable.
 *
 * <p>Every reference is resolved when the file is loaded, so a broken one stops startup; typed
 * getters convert on each call and fail with a {@link ConfigException} naming section, key, value
 * and what was expected, so callers read everything once at startup into their own records.
 */
public final class Config {
  private static final Logger log = LoggerFactory.getLogger(Config.class);

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private final String source;
  private final Map<String, Map<String, String>> values;
  private final Map<String, Map<String, String>> fromFile;
  private final List<String> warnings;

  private Config(
      String source,
      Map<String, Map<String, String>> values,
      Map<String, Map<String, String>> fromFile,
      List<String> warnings) {
    this.source = source;
    this.values = values;
    this.fromFile = fromFile;
    this.warnings = List.copyOf(warnings);
  }

  /** Reads {@code file} (UTF-8), which must exist: a missing file is a mistake, not "defaults". */
  public static Config load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " not found", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e, e);
    }
    return parse(text, file.toString());
  }

  /** Parses INI text; {@code sourceName} (usually the file name) prefixes syntax errors. */
  public static Config parse(String text, String sourceName) throws ConfigException {
    Map<String, Map<String, String>> file = IniParser.parse(text, sourceName);
    Map<String, Map<String, String>> merged = new LinkedHashMap<>();
    ConfigSchema.defaults().forEach((s, keys) -> merged.put(s, new LinkedHashMap<>(keys)));
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> s : file.entrySet()) {
      String section = s.getKey();
      if (!ConfigSchema.isKnownSection(section)) {
        warnings.add("unknown section [" + section + "] (a typo?)");
      } else {
        for (String key : s.getValue().keySet()) {
          if (!ConfigSchema.isKnownKey(section, key)) {
            warnings.add("unknown key [" + section + "] " + key + " (a typo?)");
          }
        }
      }
      merged.computeIfAbsent(section, k -> new LinkedHashMap<>()).putAll(s.getValue());
    }
    Map<String, Map<String, String>> resolved;
    try {
      resolved = Interpolator.resolveAll(merged);
    } catch (ConfigException e) {
      throw new ConfigException(sourceName + ": " + e.getMessage(), e);
    }
    return new Config(sourceName, deepCopy(resolved), deepCopy(file), warnings);
  }

  /** The schema defaults alone, as if from an empty file. */
  public static Config defaults() {
    try {
      return parse("", "(defaults)");
    } catch (ConfigException e) {
      throw new AssertionError("the built-in defaults do not resolve", e);
    }
  }

  private static Map<String, Map<String, String>> deepCopy(Map<String, Map<String, String>> m) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    m.forEach((s, keys) -> copy.put(s, Collections.unmodifiableMap(new LinkedHashMap<>(keys))));
    return Collections.unmodifiableMap(copy);
  }

  /** Where this came from (a file name, or what the caller named it). */
  public String source() {
    return source;
  }

  /** Unknown sections and keys, such as {@code unknown key [coord] lisen_addr (a typo?)}. */
  public List<String> warnings() {
    return warnings;
  }

  /** Logs each of {@link #warnings()} at WARN, prefixed with the source. */
  public void logWarnings() {
    for (String w : warnings) {
      log.warn("{}: {}", source, w);
    }
  }

  /** Whether the file set this key itself, rather than leaving it to the default. */
  public boolean isSet(String section, String key) {
    return fromFile.getOrDefault(section, Map.of()).containsKey(key);
  }

  /** Section names: the schema's, then any others the file has, in order. */
  public List<String> sections() {
    return List.copyOf(values.keySet());
  }

  /** A whole section, interpolated (defaults included); empty if there is no such section. */
  public Map<String, String> section(String name) {
    return values.getOrDefault(name, Map.of());
  }

  /** The interpolated value, as written (possibly empty). */
  public String string(String section, String key) throws ConfigException {
    String v = values.getOrDefault(section, Map.of()).get(key);
    if (v == null) {
      throw new ConfigException(
          "[" + section + "] " + key + " is not set in " + source + " and has no default");
    }
    return v;
  }

  /** Empty when the value is empty, the schema's way of saying "not set". */
  public Optional<String> optionalString(String section, String key) throws ConfigException {
    String v = string(section, key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public int integer(String section, String key) throws ConfigException {
    return integer(section, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** An integer from {@code min} to {@code max}, both inclusive. */
  public int integer(String section, String key, int min, int max) throws ConfigException {
    return (int) longValue(section, key, min, max);
  }

  public long longValue(String section, String key) throws ConfigException {
    return longValue(section, key, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A long from {@code min} to {@code max}, both inclusive. */
  public long longValue(String section, String key, long min, long max) throws ConfigException {
    long v =
        convert(
            section,
            key,
            "an integer",
            s -> {
              try {
                return Long.parseLong(s.strip());
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("an integer", e);
              }
            });
    if (v < min || v > max) {
      throw ConfigException.badValue(
          section, key, string(section, key), "an integer from " + min + " to " + max);
    }
    return v;
  }

  /** A finite decimal number such as {@code 2.25}. */
  public double decimal(String section, String key) throws ConfigException {
    String expected = "a decimal number such as 2.25";
    return convert(
        section,
        key,
        expected,
        s -> {
          if (!DECIMAL.matcher(s.strip()).matches()) {
            throw new IllegalArgumentException(expected);
          }
          double d = Double.parseDouble(s.strip());
          if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(expected);
          }
          return d;
        });
  }

  /** A share such as {@code bg_percent}: at least 0, below 1 (1 would allow infinite claims). */
  public double fraction(String section, String key) throws ConfigException {
    double d = decimal(section, key);
    if (!(d >= 0 && d < 1)) {
      throw ConfigException.badValue(
          section, key, string(section, key), "a fraction from 0 to below 1, such as 0.25");
    }
    return d;
  }

  /** {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}, as configparser does. */
  public boolean bool(String section, String key) throws ConfigException {
    String expected = "true or false (also yes/no, on/off, 1/0)";
    return convert(
        section,
        key,
        expected,
        s -> {
          return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(expected);
          };
        });
  }

  /** See {@link Durations#parse}: plain numbers are seconds. */
  public Duration duration(String section, String key) throws ConfigException {
    return convert(section, key, Durations.EXPECTED, Durations::parse);
  }

  /** Empty for an empty value, else as {@link #duration}. */
  public Optional<Duration> optionalDuration(String section, String key) throws ConfigException {
    return optionalString(section, key).isEmpty()
        ? Optional.empty()
        : Optional.of(duration(section, key));
  }

  /** See {@link HostPort#parse}. */
  public HostPort address(String section, String key) throws ConfigException {
    return convert(section, key, HostPort.EXPECTED, HostPort::parse);
  }

  /** Empty for an empty value, else as {@link #address}. */
  public Optional<HostPort> optionalAddress(String section, String key) throws ConfigException {
    return optionalString(section, key).isEmpty()
        ? Optional.empty()
        : Optional.of(address(section, key));
  }

  /**
   * A path with a leading {@code ~} expanded to the user's home; a relative path stays relative,
   * that is, to the working directory, as in the original implementation.
   */
  public Path path(String section, String key) throws ConfigException {
    return convert(section, key, "a file system path", Config::toPath);
  }

  /** Empty for an empty value, else as {@link #path}. */
  public Optional<Path> optionalPath(String section, String key) throws ConfigException {
    return optionalString(section, key).isEmpty()
        ? Optional.empty()
        : Optional.of(path(section, key));
  }

  private static Path toPath(String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("a file system path, not an empty value");
    }
    try {
      if (v.equals("~") || v.startsWith("~/")) {
        return Path.of(System.getProperty("user.home") + v.substring(1));
      }
      return Path.of(v);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("a file system path (" + e.getReason() + ")", e);
    }
  }

  /** Bytes per second; see {@link ByteRates#parse}. */
  public long byteRate(String section, String key) throws ConfigException {
    return convert(section, key, ByteRates.EXPECTED, ByteRates::parse);
  }

  /** The non-empty lines of a multi-line value, stripped (for {@code torrc_extra_lines}). */
  public List<String> lines(String section, String key) throws ConfigException {
    return string(section, key).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /**
   * Runs {@code parser} (whose {@link IllegalArgumentException} message says what it expected) and
   * turns a failure into the one message format.
   */
  private <T> T convert(String section, String key, String expected, Function<String, T> parser)
      throws ConfigException {
    String v = string(section, key);
    try {
      return parser.apply(v);
    } catch (IllegalArgumentException e) {
      String why = e.getMessage() == null ? expected : e.getMessage();
      throw ConfigException.badValue(section, key, v, why);
    }
  }

  @Override
  public String toString() {
    return "Config[" + source + "]";
  }
}
