package org.flashflow.torctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stock-tor golden samples: verbatim replies of Debian's tor 0.4.9.11, copied from the
 * project's shared {@code samples/stock-tor} into this module's test resources (README.md there
 * says how they were captured), so that the parser tests run in any checkout.
 */
public final class Samples {
  private Samples() {}

  public static String read(String name) throws IOException {
    try (InputStream in = Samples.class.getResourceAsStream("/stock-tor/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "golden sample stock-tor/" + name + " not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The lines of a sample without line endings. */
  public static List<String> lines(String name) throws IOException {
    return List.of(read(name).split("\r?\n"));
  }

  /**
   * The data block of a {@code 250+key=} reply in a sample: the lines after it up to the lone
   * {@code .}, joined with LF as jtorctl hands them over.
   */
  public static String dataBlock(String name, String key) throws IOException {
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
