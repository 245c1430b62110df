package org.flashflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.flashflow.common.testing.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: Debian's {@code chromium}, headless, loads the page from disk,
 * dumps the DOM it built and takes a screenshot. Skipped where chromium is missing, failed then
 * under {@code FLASHFLOW_REQUIRE_TOOLS=1} (CI).
 *
 * <p>Console errors: chromium started with {@code --enable-logging=stderr --v=0} writes every
 * console message of the page to stderr as a {@code :CONSOLE} line (errors, warnings, and the
 * Content-Security-Policy violations that any fetch of the page would cause, since its CSP forbids
 * every fetch). The report has no script, so any such line is a failure. That this logging works in
 * the installed chromium is checked first, on a page that writes to the console: a check that would
 * pass on any output is no check.
 */
class ReportBrowserTest {
  private static String chromium;

  @TempDir Path dir;

  @BeforeAll
  static void findChromium() {
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!p.isEmpty() && Files.isExecutable(Path.of(p, name))) {
          chromium = Path.of(p, name).toString();
          break;
        }
      }
      if (chromium != null) {
        break;
      }
    }
    ExternalTools.require(chromium != null, "chromium (Debian package chromium)");
  }

  private record Browser(int exit, String stdout, List<String> console, String stderr) {}

  private Browser chromium(Path page, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(chromium);
    cmd.add("--headless");
    cmd.add("--no-sandbox"); // CI runs as root, where chromium's sandbox refuses to start
    cmd.add("--disable-gpu");
    cmd.add("--enable-logging=stderr");
    cmd.add("--v=0");
    cmd.add("--user-data-dir=" + dir.resolve("profile-" + System.nanoTime()));
    cmd.addAll(List.of(args));
    cmd.add(page.toUri().toString());
    Path out = dir.resolve("chromium.out");
    Path err = dir.resolve("chromium.err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("chromium did not finish in 180 s: " + Files.readString(err));
    }
    String stderr = Files.readString(err);
    List<String> console =
        stderr.lines().filter(l -> l.contains(":CONSOLE")).collect(Collectors.toList());
    return new Browser(p.exitValue(), Files.readString(out), console, stderr);
  }

  @Test
  void theConsoleCheckSeesConsoleMessages() throws Exception {
    Path bad = dir.resolve("bad.html");
    Files.writeString(
        bad,
        "<!DOCTYPE html><html><body><script>console.error('flashflow-selfcheck')</script>"
            + "</body></html>");
    Browser b = chromium(bad, "--dump-dom");
    assertTrue(
        b.console().stream().anyMatch(l -> l.contains("flashflow-selfcheck")),
        "chromium's stderr shows no console line, so the report's check would see none:\n"
            + b.stderr());
  }

  @Test
  void everyChartHasItsDataPointsInTheBrowsersDomAndTheConsoleIsQuiet() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    Path page = Report.write(f.settings(dir.resolve("out"), Optional.empty()));
    Browser b = chromium(page, "--dump-dom");
    assertEquals(0, b.exit(), b.stderr());
    assertEquals(List.of(), b.console(), "console messages");
    assertTrue(b.stdout().contains("<h1>FlashFlow report</h1>"), b.stdout());
    assertEquals(
        new TreeMap<>(f.expected(Optional.empty())),
        ReportFixture.marks(b.stdout()),
        "marks per chart and series in the DOM chromium built");
  }

  @Test
  void rendersToAScreenshot() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    Path page = Report.write(f.settings(dir.resolve("out"), Optional.empty()));
    Path png = dir.resolve("report.png");
    Browser b =
        chromium(page, "--hide-scrollbars", "--window-size=1100,4200", "--screenshot=" + png);
    assertEquals(0, b.exit(), b.stderr());
    assertEquals(List.of(), b.console(), "console messages");
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1100, image.getWidth());
    // A page with five charts has many colours; a blank or error page has a handful.
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 50, colours.size() + " colours");
  }
}
