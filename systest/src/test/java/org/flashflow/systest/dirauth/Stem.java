package org.flashflow.systest.dirauth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Debian's python3-stem reading a bandwidth file, as a consumer of our files would. */
final class Stem {
  static final String PYTHON = "/usr/bin/python3";

  /**
   * Prints line 1, version and software, then per relay {@code fp bw unmeasured vote} ({@code -}
   * where absent), sorted by fingerprint. validate=True makes stem raise on what it finds wrong.
   */
  private static final String SCRIPT =
      String.join(
          "\n",
          "import sys",
          "from stem.descriptor import parse_file",
          "d = list(parse_file(sys.argv[1], descriptor_type='bandwidth-file 1.0', validate=True))",
          "assert len(d) == 1, d",
          "d = d[0]",
          "print(int(d.timestamp.timestamp()), d.version, d.header.get('software', '-'))",
          "for fp in sorted(d.measurements):",
          "  m = d.measurements[fp]",
          "  print(fp, m['bw'], m.get('unmeasured', '-'), m.get('vote', '-'))",
          "");

  private Stem() {}

  static boolean available() {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return false;
    }
    try {
      return Exec.run(
                  List.of(PYTHON, "-c", "import stem.descriptor.bandwidth_file"),
                  "",
                  Duration.ofSeconds(30))
              .exit()
          == 0;
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  /**
   * What stem read from {@code file}, in the form of {@link #SCRIPT}; fails if stem raises, or
   * hangs for 30 s (as it does on a version 1.1.0+ file without the terminator).
   */
  static List<String> read(Path file) throws IOException {
    return Exec.ok(List.of(PYTHON, "-c", SCRIPT, file.toString()), "", Duration.ofSeconds(30))
        .out()
        .lines()
        .toList();
  }

  /** What {@link #read} must print for a file we wrote, derived from our own reading of it. */
  static List<String> expected(V3bwRun.Parsed parsed) {
    List<String> out = new java.util.ArrayList<>();
    out.add(
        parsed.timestamp()
            + " "
            + parsed.header().get("version")
            + " "
            + parsed.header().getOrDefault("software", "-"));
    parsed
        .relays()
        .forEach(
            (fp, keys) ->
                out.add(
                    fp
                        + " "
                        + keys.get("bw")
                        + " "
                        + keys.getOrDefault("unmeasured", "-")
                        + " "
                        + keys.getOrDefault("vote", "-")));
    return out;
  }
}
