package org.flashflow.bench.svg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HeatmapTest {
  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document d) {
    NodeList n = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.getLength(); i++) {
      out.add(n.item(i).getTextContent());
    }
    return out;
  }

  @Test
  void wellFormedSvgWithOneRectanglePerCellAndEveryLabel() throws Exception {
    Heatmap.Cell ok = new Heatmap.Cell("#1a9850", List.of("100%", "10%: 100%", "liar 1.31"));
    Heatmap.Cell bad = new Heatmap.Cell("#d73027", List.of("40% <5%", "a & b"));
    String svg =
        Heatmap.svg(
            "Accuracy <grid>",
            List.of("10 ms\n10 circs", "300 ms\n160 circs"),
            List.of("1 Mbit/s", "500 Mbit/s\nbursty"),
            new Heatmap.Cell[][] {{ok, bad}, {bad, ok}},
            List.of("note \"quoted\""));
    Document d = parse(svg);
    Element root = d.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    NodeList rects = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    assertEquals(1 + 4, rects.getLength(), "background + one per cell");
    List<String> t = texts(d);
    for (String s :
        List.of(
            "Accuracy <grid>",
            "10 ms",
            "10 circs",
            "160 circs",
            "500 Mbit/s",
            "bursty",
            "40% <5%",
            "a & b",
            "liar 1.31",
            "note \"quoted\"")) {
      assertTrue(t.contains(s), s + " in " + t);
    }
    int w = Integer.parseInt(root.getAttribute("width"));
    assertEquals(Heatmap.ROW_LABEL_W + 2 * Heatmap.CELL_W + 10, w);
    assertEquals("0 0 " + w + " " + root.getAttribute("height"), root.getAttribute("viewBox"));
    assertEquals(
        svg,
        Heatmap.svg(
            "Accuracy <grid>",
            List.of("10 ms\n10 circs", "300 ms\n160 circs"),
            List.of("1 Mbit/s", "500 Mbit/s\nbursty"),
            new Heatmap.Cell[][] {{ok, bad}, {bad, ok}},
            List.of("note \"quoted\"")),
        "deterministic");
  }

  @Test
  void coloursRunFromRedThroughYellowToGreen() {
    assertEquals("#d73027", Heatmap.redYellowGreen(0));
    assertEquals("#fee08b", Heatmap.redYellowGreen(0.5));
    assertEquals("#1a9850", Heatmap.redYellowGreen(1));
    assertEquals("#1a9850", Heatmap.redYellowGreen(7), "clamped");
    assertEquals("#d73027", Heatmap.redYellowGreen(Double.NaN));
  }

  @Test
  void shapesAndColoursAreChecked() {
    Heatmap.Cell c = new Heatmap.Cell("#000000", List.of());
    assertThrows(IllegalArgumentException.class, () -> new Heatmap.Cell("red", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Heatmap.Cell("#000000", List.of("1", "2", "3", "4")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Heatmap.svg(
                "t", List.of("a", "b"), List.of("r"), new Heatmap.Cell[][] {{c}}, List.of()));
  }
}
