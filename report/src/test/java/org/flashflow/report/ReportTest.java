package org.flashflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page and its SVG files, checked as text (ReportBrowserTest checks them in a browser). */
class ReportTest {
  @TempDir Path dir;

  @Test
  void everyChartHasOneMarkPerDataPointInThePageAndInItsFile() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    Path page = Report.write(f.settings(dir.resolve("out"), Optional.empty()));
    assertEquals(dir.resolve("out/index.html"), page);
    String html = Files.readString(page);
    Map<String, Map<String, Integer>> expected = f.expected(Optional.empty());
    assertEquals(new TreeMap<>(expected), ReportFixture.marks(html));
    for (String chart : expected.keySet()) {
      String svg = Files.readString(dir.resolve("out/" + chart + ".svg"));
      assertTrue(svg.startsWith("<?xml"), chart);
      assertEquals(
          expected.get(chart), ReportFixture.marks(svg).get(chart), chart + ".svg's marks");
    }
  }

  @Test
  void thePageFetchesNothingAndHasNoScript() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    String html = Files.readString(Report.write(f.settings(dir.resolve("out"), Optional.empty())));
    assertTrue(html.contains("Content-Security-Policy"), "a CSP that forbids every fetch");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.replaceAll("xmlns(:\\w+)?='[^']*'", "").matches("(?s).*https?://.*"));
    assertFalse(html.contains(" src="), "nothing loaded from elsewhere");
  }

  @Test
  void showsTheChosenRelaysNewestMeasurementSecondBySecond() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    String relay4 = ReportFixture.fp(4);
    String html =
        Files.readString(
            Report.write(f.settings(dir.resolve("out"), Optional.of("$" + relay4.toLowerCase()))));
    // relay 4's newest measurement failed: the one before, meas_id 5
    assertTrue(html.contains("relay4 ($" + relay4 + "), meas_id 5,"), "subtitle names it");
  }

  @Test
  void aRelayWithoutACompletedMeasurementIsAnError() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    UnknownRelayException e =
        assertThrows(
            UnknownRelayException.class,
            () -> Report.write(f.settings(dir.resolve("out"), Optional.of(ReportFixture.fp(9)))));
    assertTrue(e.getMessage().contains(ReportFixture.fp(9)), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void aBadFingerprintIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Report.fingerprint("ABC"));
    assertTrue(e.getMessage().contains("'ABC'"), e.getMessage());
  }

  @Test
  void withoutConsensusDescriptorsOrStateFileTheChartsSayWhatIsMissing() throws Exception {
    ReportFixture f = new ReportFixture(dir);
    Files.delete(f.datadir.resolve("consensus.txt"));
    Files.delete(f.datadir.resolve("descriptors.txt"));
    Files.delete(f.stateFile);
    String html = Files.readString(Report.write(f.settings(dir.resolve("out"), Optional.empty())));
    assertTrue(html.contains("No saved consensus was found"), html);
    assertTrue(html.contains("There is no schedule state file"), html);
    Map<String, Map<String, Integer>> marks = ReportFixture.marks(html);
    assertEquals(Map.of(), marks.get("estimates"), "nothing to plot against");
    // measured this period, only failed this period (relay 9); all in the last 3 hours of NOW
    assertEquals(Map.of(Charts.RELAYS, 2), marks.get("progress"));
  }
}
