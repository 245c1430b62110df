package org.flashflow.coord.schedule;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which relays of the consensus the schedule measures ({@code [schedule] relay_filter_list}). The
 * file has one entry a line:
 *
 * <pre>
 * # a comment; blank lines are ignored, and so is text after '#'
 * +0123...CDEF     include (a bare fingerprint includes too)
 * -0123...CDEF     exclude ('!' works as well)
 * </pre>
 *
 * <p>If any line includes, only the included relays are measured (an opt-in list, as the proposal's
 * short-term deployment keeps); otherwise every relay is. Exclusions win over inclusions, so an
 * operator can quickly drop a relay that misbehaves. Fingerprints are 40 hex digits, either case,
 * optionally with a leading {@code $}. A malformed line is an error naming the file and line: a
 * mistyped fingerprint that silently matched nothing would be noticed only days later.
 */
public final class RelayFilter {
  private static final Pattern FP = Pattern.compile("[0-9A-Fa-f]{40}");

  private final Set<String> include;
  private final Set<String> exclude;

  private RelayFilter(Set<String> include, Set<String> exclude) {
    this.include = Set.copyOf(include);
    this.exclude = Set.copyOf(exclude);
  }

  /** Measures every relay: what an unset {@code relay_filter_list} means. */
  public static RelayFilter all() {
    return new RelayFilter(Set.of(), Set.of());
  }

  /**
   * Parses the text of a filter list.
   *
   * @param source the file name, for error messages
   * @throws IllegalArgumentException naming {@code source}, the line number and the line
   */
  public static RelayFilter parse(String text, String source) {
    Set<String> include = new TreeSet<>();
    Set<String> exclude = new TreeSet<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (entry.isEmpty()) {
        continue;
      }
      boolean excluded = entry.charAt(0) == '-' || entry.charAt(0) == '!';
      String fp = entry.charAt(0) == '+' || excluded ? entry.substring(1).strip() : entry;
      if (fp.startsWith("$")) {
        fp = fp.substring(1);
      }
      if (!FP.matcher(fp).matches()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s line %d: expected [+|-|!]FINGERPRINT (40 hex digits) and an optional # comment,"
                    + " got '%s'",
                source,
                i + 1,
                line.strip()));
      }
      (excluded ? exclude : include).add(fp.toUpperCase(Locale.ROOT));
    }
    return new RelayFilter(include, exclude);
  }

  /**
   * Reads and parses a filter list file (the package's one file read, at startup and on reload).
   *
   * @throws IllegalArgumentException if the file is missing, unreadable, not UTF-8 or malformed;
   *     the message names the file
   */
  public static RelayFilter load(Path file) {
    try {
      return parse(Files.readString(file, UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("relay filter list " + file + " does not exist", e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("relay filter list " + file + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "relay filter list " + file + " could not be read: " + e, e);
    }
  }

  /** Whether {@code fp} (upper-case hex) is to be measured. */
  public boolean accepts(String fp) {
    return !exclude.contains(fp) && (include.isEmpty() || include.contains(fp));
  }

  /** The accepted relays of {@code fps}, in their order. */
  public List<String> filter(Collection<String> fps) {
    return fps.stream().filter(this::accepts).toList();
  }

  /** Whether the list names relays to include, so that only those are measured. */
  public boolean isOptIn() {
    return !include.isEmpty();
  }

  @Override
  public String toString() {
    return "RelayFilter[" + include.size() + " included, " + exclude.size() + " excluded]";
  }
}
