package org.flashflow.common.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's {@code ExtendedInterpolation}: {@code ${key}} from the same section (defaults included),
 * {@code ${section:key}} from another, {@code $$} for a literal {@code $}. A reference is resolved
 * in its own section, so {@code ${coord:keydir}} follows the coordinator's datadir.
 */
final class Interpolator {
  /**
   * Deep enough for any sane chain (the defaults use 3), shallow enough to show a runaway one.
   * Nothing is cached, so the limit applies to every key alike whatever the order.
   */
  static final int MAX_DEPTH = 10;

  private final Map<String, Map<String, String>> raw;

  private Interpolator(Map<String, Map<String, String>> raw) {
    this.raw = raw;
  }

  /** Every value resolved; fails on the first broken reference, cycle or stray {@code $}. */
  static Map<String, Map<String, String>> resolveAll(Map<String, Map<String, String>> raw)
      throws ConfigException {
    Interpolator in = new Interpolator(raw);
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> s : raw.entrySet()) {
      Map<String, String> keys = new LinkedHashMap<>();
      for (String key : s.getValue().keySet()) {
        keys.put(key, in.resolve(s.getKey(), key, new ArrayList<>()));
      }
      out.put(s.getKey(), keys);
    }
    return out;
  }

  private String resolve(String section, String key, List<String> chain) throws ConfigException {
    String id = "[" + section + "] " + key;
    if (chain.contains(id)) {
      chain.add(id);
      throw new ConfigException(
          "interpolation cycle: "
              + String.join(" -> ", chain.subList(chain.indexOf(id), chain.size())));
    }
    if (chain.size() >= MAX_DEPTH) {
      chain.add(id);
      throw new ConfigException(
          "interpolation deeper than " + MAX_DEPTH + " levels: " + String.join(" -> ", chain));
    }
    chain.add(id);
    String value = raw.get(section).get(key);
    String result = substitute(section, key, value, chain);
    chain.remove(chain.size() - 1);
    return result;
  }

  private String substitute(String section, String key, String value, List<String> chain)
      throws ConfigException {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      char next = i + 1 < value.length() ? value.charAt(i + 1) : 0;
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      int close = value.indexOf('}', i);
      if (next != '{' || close < 0) {
        throw bad(
            section, key, value, "'$' followed by '{name}' or '$' (write $$ for a literal $)");
      }
      String ref = value.substring(i + 2, close);
      out.append(lookup(section, key, value, ref, chain));
      i = close + 1;
    }
    return out.toString();
  }

  private String lookup(String section, String key, String value, String ref, List<String> chain)
      throws ConfigException {
    String[] parts = ref.split(":", -1);
    if (parts.length > 2 || ref.isBlank()) {
      throw bad(section, key, value, "${key} or ${section:key}, not ${" + ref + "}");
    }
    String refSection = parts.length == 2 ? parts[0].strip() : section;
    String refKey = parts[parts.length - 1].strip().toLowerCase(Locale.ROOT);
    Map<String, String> keys = raw.get(refSection);
    if (keys == null || !keys.containsKey(refKey)) {
      throw new ConfigException(
          "["
              + section
              + "] "
              + key
              + " = \""
              + value
              + "\": unknown reference ${"
              + ref
              + "} (no key "
              + refKey
              + " in ["
              + refSection
              + "])");
    }
    return resolve(refSection, refKey, chain);
  }

  private static ConfigException bad(String section, String key, String value, String expected) {
    return ConfigException.badValue(section, key, value, expected);
  }
}
