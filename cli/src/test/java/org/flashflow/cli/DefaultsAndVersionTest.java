package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** What the Debian package relies on: config files in /etc/flashflow by default, and --version. */
class DefaultsAndVersionTest {
  @Test
  void everySubcommandPrintsTheVersion() {
    Map<String, CommandLine> subs = Main.newCommandLine().getSubcommands();
    assertTrue(subs.size() >= 8, subs.keySet().toString());
    for (String name : subs.keySet()) {
      Run r = Run.of(name, "--version");

      assertEquals(0, r.exit(), name + ": " + r.err());
      assertTrue(r.out().matches("(?s)flashflow \\S.*\nJava .*"), name + ": " + r.out());
    }
  }

  @Test
  void daemonsAndOfflineCommandsReadTheInstalledConfigByDefault() {
    Map<String, String> expected =
        Map.of(
            "coord", "/etc/flashflow/coord.ini",
            "measurer", "/etc/flashflow/measurer.ini",
            "v3bw", "/etc/flashflow/coord.ini",
            "report", "/etc/flashflow/coord.ini",
            "cleanup", "/etc/flashflow/coord.ini");
    expected.forEach(
        (name, file) -> {
          ParseResult p = Main.newCommandLine().parseArgs(name);
          Path config = p.subcommand().matchedOptionValue("-c", null);
          assertNull(config, name + ": -c was not given");
          Object value =
              p.subcommand().commandSpec().findOption("-c").getValue(); // the default applied
          assertEquals(Path.of(file), value, name);
        });
  }

  @Test
  void ctrlUsesTheGivenConfigElseTheInstalledOneIfPresent(@TempDir Path dir) throws IOException {
    Path given = dir.resolve("mine.ini");
    Path installed = dir.resolve("coord.ini");

    assertEquals(given, CtrlCommand.configFile(given, installed));
    assertNull(CtrlCommand.configFile(null, installed), "nothing installed: built-in defaults");
    Files.writeString(installed, "[ctrl]\n");
    assertEquals(installed, CtrlCommand.configFile(null, installed));
  }

  @Test
  void aMissingDefaultConfigIsNamed() {
    assumeFalse(Files.exists(Path.of(DefaultConfigs.COORD)), "the package is installed here");
    Run r = Run.of("v3bw");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("/etc/flashflow/coord.ini"), r.err());
  }
}
