package org.flashflow.torctl.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits one control-protocol line into words and {@code KEY=VALUE} pairs (control-spec 2.1), where
 * a value may be a quoted string containing spaces and backslash escapes. Pure.
 */
public final class ControlLine {
  private static final Pattern KEYWORD =
      Pattern.compile("[A-Za-z][A-Za-z0-9_]*=.*", Pattern.DOTALL);

  private ControlLine() {}

  /**
   * Splits on spaces, keeping a quoted string (with its quotes and escapes) inside one word.
   *
   * @throws IllegalArgumentException on an unterminated quoted string
   */
  public static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      boolean quoted = false;
      while (i < n && (quoted || line.charAt(i) != ' ')) {
        char c = line.charAt(i);
        if (c == '\\' && quoted) {
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        }
        i++;
      }
      if (quoted) {
        throw new IllegalArgumentException("unterminated quoted string in: " + line);
      }
      words.add(line.substring(start, Math.min(i, n)));
    }
    return words;
  }

  /** True if the word looks like {@code KEY=...} (a path element starts with {@code $}). */
  static boolean isKeyword(String word) {
    return KEYWORD.matcher(word).matches();
  }

  /**
   * The {@code KEY=VALUE} words from index {@code from} on, keys upper-cased, values unquoted.
   *
   * @throws IllegalArgumentException if a word there is not {@code KEY=VALUE}
   */
  public static Map<String, String> keyValues(List<String> words, int from) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = from; i < words.size(); i++) {
      String w = words.get(i);
      if (!isKeyword(w)) {
        throw new IllegalArgumentException("expected KEY=VALUE, got " + w);
      }
      int eq = w.indexOf('=');
      map.put(w.substring(0, eq).toUpperCase(Locale.ROOT), unquote(w.substring(eq + 1)));
    }
    return map;
  }

  /**
   * Removes the quotes and escapes of a control-spec QuotedString; other text is returned as is.
   */
  static String unquote(String s) {
    if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length() - 1) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        default -> {
          if (e >= '0' && e <= '7' && i + 2 < s.length() - 1 && isOctal(s, i + 1, i + 3)) {
            out.append((char) Integer.parseInt(s.substring(i, i + 3), 8));
            i += 2;
          } else {
            out.append(e);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
