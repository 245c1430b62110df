package org.flashflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The benchmark heatmap, drawn with the report's charting. */
class HeatmapTest {
  private static final Heatmap.Cell OK =
      new Heatmap.Cell(1.0, false, List.of("100%", "10%: 100%", "liar 1.31"));
  private static final Heatmap.Cell BAD = new Heatmap.Cell(0.4, false, List.of("40%", "a & b"));
  private static final Heatmap.Cell LIAR = new Heatmap.Cell(1.0, true, List.of("100%", "liar 1.5"));

  private static String svg() {
    return Heatmap.svg(
        "Title <x>",
        List.of("10 ms, 10 circ", "300 ms, 160 circ", "c3"),
        List.of("1 Mbit/s steady", "500 Mbit/s bursty"),
        new Heatmap.Cell[][] {{OK, BAD, Heatmap.Cell.empty()}, {LIAR, OK, BAD}},
        0.5,
        List.of("note one", "note two"));
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Where the text {@code what} is drawn, top to bottom. */
  private static double y(String svg, String what) {
    Matcher m =
        Pattern.compile("<text[^>]* y='([-0-9.]+)'[^>]*>" + Pattern.quote(what) + "<").matcher(svg);
    assertTrue(m.find(), what + " in " + svg);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void everyCellHasItsColourAndItsText() {
    String svg = svg();
    assertTrue(svg.startsWith("<svg"), svg);
    assertTrue(svg.contains("Title &lt;x&gt;"), "escaped title");
    for (String label :
        List.of("10 ms, 10 circ", "300 ms, 160 circ", "1 Mbit/s steady", "500 Mbit/s bursty")) {
      assertTrue(svg.contains(">" + label + "<"), label);
    }
    assertEquals(2, count(svg, ">10%: 100%<"), "the two green cells' second line");
    assertEquals(2, count(svg, ">a &amp; b<"), "escaped cell text");
    assertEquals(1, count(svg, ">liar 1.5<"));
    assertTrue(y(svg, "note one") < y(svg, "note two"), "notes top to bottom in order");
    // Block fills: 2 green, 2 red (0.4 is under the 0.5 of full red), 1 grey, 1 purple.
    assertEquals(2, count(svg, "style='fill:rgb(26,152,80)'"), "green");
    assertEquals(2, count(svg, "style='fill:rgb(215,48,39)'"), "red");
    assertEquals(1, count(svg, "style='fill:rgb(221,221,221)'"), "grey");
    assertEquals(1, count(svg, "style='fill:rgb(123,50,148)'"), "purple");
  }

  @Test
  void sharesGoFromRedThroughYellowToGreen() {
    assertEquals(new Color(0xd7, 0x30, 0x27), Heatmap.shareColor(0.5, 0.5));
    assertEquals(new Color(0xd7, 0x30, 0x27), Heatmap.shareColor(0.1, 0.5));
    assertEquals(new Color(0xfe, 0xe0, 0x8b), Heatmap.shareColor(0.75, 0.5));
    assertEquals(new Color(0x1a, 0x98, 0x50), Heatmap.shareColor(1.0, 0.5));
  }

  @Test
  void aRowOfTheWrongLengthIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Heatmap.svg(
                "t", List.of("a", "b"), List.of("r"), new Heatmap.Cell[][] {{OK}}, 0.5, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Heatmap.Cell(1, false, List.of("1", "2", "3", "4")));
  }
}
