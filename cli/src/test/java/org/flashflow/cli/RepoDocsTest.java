package org.flashflow.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flashflow.common.config.ConfigSchema;
import org.junit.jupiter.api.Test;

/**
 * The repository documents itself: no file points outside it for the protocol (a clone has only the
 * repository), and docs/protocol.md section 9 names every configuration key.
 */
class RepoDocsTest {
  /** Spelled in pieces, so that this file does not contain what it looks for. */
  private static final List<String> FORBIDDEN =
      List.of(".." + "/shared", "/work" + "/shared", "protocol" + "-notes.md");

  private static final Pattern SECTION = Pattern.compile("\\[([^\\]]+)]\\s*");
  private static final Pattern KEY = Pattern.compile("([A-Za-z0-9_.-]+)\\s*[=:].*");

  private static final Path ROOT = repoRoot();

  @Test
  void noTrackedFileCitesDocsOutsideTheRepository() throws IOException, InterruptedException {
    List<String> hits = new ArrayList<>();
    for (Path file : trackedFiles()) {
      String text = textOf(file);
      if (text == null) {
        continue;
      }
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (String bad : FORBIDDEN) {
          if (lines[i].contains(bad)) {
            hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
          }
        }
      }
    }
    assertEquals(
        List.of(),
        hits,
        "these lines cite "
            + FORBIDDEN
            + ": a clone has neither; point them at docs/protocol.md and its sections");
  }

  @Test
  void everyKeyOfTheExampleConfigsIsInProtocolMd() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/protocol.md"), UTF_8);
    List<String> missing = new ArrayList<>();
    List<Path> inis;
    try (Stream<Path> s = Files.list(ROOT.resolve("config"))) {
      inis = s.filter(p -> p.toString().endsWith(".ini")).sorted().toList();
    }
    assertTrue(inis.size() >= 3, "config/*.ini: " + inis);
    for (Path ini : inis) {
      String section = "";
      for (String line : Files.readAllLines(ini, UTF_8)) {
        Matcher sec = SECTION.matcher(line);
        Matcher key = KEY.matcher(line);
        if (sec.matches()) {
          section = sec.group(1).strip();
        } else if (!line.isEmpty()
            && !Character.isWhitespace(line.charAt(0))
            && key.matches()
            && !ConfigSchema.isFreeForm(section)
            && !doc.contains("`" + key.group(1) + "`")) {
          missing.add(ini.getFileName() + " [" + section + "] " + key.group(1));
        }
      }
    }
    for (Map.Entry<String, Map<String, String>> s : ConfigSchema.defaults().entrySet()) {
      for (String key : s.getValue().keySet()) {
        if (!doc.contains("`" + key + "`")) {
          missing.add("ConfigSchema [" + s.getKey() + "] " + key);
        }
      }
    }
    assertEquals(List.of(), missing, "keys that docs/protocol.md section 9 does not name");
  }

  /** The directory above the module that holds config/coord.ini and docs/. */
  private static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("config/coord.ini"))
          && Files.isDirectory(p.resolve("docs"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /** {@code git ls-files} when this is a git checkout; else every file outside build output. */
  private static List<Path> trackedFiles() throws IOException, InterruptedException {
    if (Files.exists(ROOT.resolve(".git"))) {
      Process p =
          new ProcessBuilder("git", "-C", ROOT.toString(), "ls-files", "-z")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
        List<Path> files = new ArrayList<>();
        for (String name : new String(out, UTF_8).split("\0")) {
          if (!name.isEmpty() && Files.isRegularFile(ROOT.resolve(name))) {
            files.add(ROOT.resolve(name));
          }
        }
        return files;
      }
      p.destroyForcibly();
    }
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(Files::isRegularFile)
          .filter(
              f -> {
                for (Path part : ROOT.relativize(f)) {
                  String n = part.toString();
                  if (n.equals("target") || n.equals(".git") || n.startsWith("data-")) {
                    return false;
                  }
                }
                return true;
              })
          .toList();
    }
  }

  /** The file as UTF-8 text, or null for binary files. */
  private static String textOf(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
