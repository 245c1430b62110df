package org.flashflow.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The syntax of Python's {@code configparser} (which the original FlashFlow used), so existing
 * configuration files keep working: {@code [section]}, {@code key = value} or {@code key: value},
 * full-line {@code #}/{@code ;} comments, no inline comments, and indented continuation lines.
 * Values come out raw; interpolation is {@link Interpolator}'s job.
 */
final class IniParser {
  private final String source;
  private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
  private final Map<String, Integer> sectionLines = new LinkedHashMap<>();
  private final Map<String, Integer> keyLines = new LinkedHashMap<>();

  private Map<String, String> section;
  private String sectionName;
  private String key;
  private int keyIndent;
  private StringBuilder value;

  private IniParser(String source) {
    this.source = source;
  }

  /** Sections in file order, each with its lower-cased keys and raw values in file order. */
  static Map<String, Map<String, String>> parse(String text, String source) throws ConfigException {
    IniParser p = new IniParser(source);
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      p.line(line, i + 1);
    }
    p.finishValue();
    return p.sections;
  }

  private void line(String line, int number) throws ConfigException {
    String stripped = line.strip();
    if (stripped.startsWith("#") || stripped.startsWith(";")) {
      return;
    }
    int indent = indentOf(line);
    if (stripped.isEmpty()) {
      // As in configparser, blank lines may sit inside a multi-line value.
      if (value != null) {
        value.append('\n');
      }
      return;
    }
    if (key != null && indent > keyIndent) {
      value.append('\n').append(stripped);
      return;
    }
    finishValue();
    if (stripped.startsWith("[")) {
      startSection(stripped, number);
    } else {
      startKey(stripped, indent, number);
    }
  }

  private void startSection(String stripped, int number) throws ConfigException {
    if (!stripped.endsWith("]") || stripped.length() < 3) {
      throw error(number, "expected [section], got " + stripped);
    }
    String name = stripped.substring(1, stripped.length() - 1).strip();
    if (name.isEmpty()) {
      throw error(number, "empty section name");
    }
    Integer first = sectionLines.putIfAbsent(name, number);
    if (first != null) {
      throw error(number, "duplicate section [" + name + "] (first on line " + first + ")");
    }
    section = new LinkedHashMap<>();
    sections.put(name, section);
    sectionName = name;
  }

  private void startKey(String stripped, int indent, int number) throws ConfigException {
    int eq = stripped.indexOf('=');
    int colon = stripped.indexOf(':');
    int at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    if (at < 0) {
      throw error(number, "expected key = value, [section] or a comment, got " + stripped);
    }
    String name = stripped.substring(0, at).strip().toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      throw error(number, "missing key before " + stripped.charAt(at));
    }
    if (section == null) {
      throw error(number, "key " + name + " before the first [section]");
    }
    String id = sectionName + "\0" + name;
    Integer first = keyLines.putIfAbsent(id, number);
    if (first != null) {
      throw error(
          number,
          "duplicate key " + name + " in [" + sectionName + "] (first on line " + first + ")");
    }
    key = name;
    keyIndent = indent;
    value = new StringBuilder(stripped.substring(at + 1).strip());
  }

  private void finishValue() {
    if (key != null) {
      section.put(key, value.toString().strip());
      key = null;
      value = null;
    }
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private ConfigException error(int line, String message) {
    return new ConfigException(source + ":" + line + ": " + message);
  }
}
