package org.flashflow.torctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flashflow.common.testing.ExternalTools;

/** The stock-tor golden samples of {@code shared/samples/stock-tor}; tests skip without them. */
final class Samples {
  private static final Path DIR = Path.of("../../shared/samples/stock-tor");

  private Samples() {}

  static String read(String name) throws IOException {
    Path p = DIR.resolve(name);
    ExternalTools.require(Files.isRegularFile(p), "golden sample " + p.toAbsolutePath());
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** The lines of a sample without line endings. */
  static List<String> lines(String name) throws IOException {
    return List.of(read(name).split("\r?\n"));
  }

  /**
   * The data block of a {@code 250+key=} reply in a sample: the lines after it up to the lone
   * {@code .}, joined with LF as jtorctl hands them over.
   */
  static String dataBlock(String name, String key) throws IOException {
    List<String> lines = lines(name);
    int start = lines.indexOf("250+" + key + "=");
    if (start < 0) {
      throw new IllegalStateException("no 250+" + key + "= in " + name);
    }
    List<String> block = new ArrayList<>();
    for (int i = start + 1; !lines.get(i).equals("."); i++) {
      block.add(lines.get(i));
    }
    return String.join("\n", block);
  }
}
