package org.flashflow.report;

import java.awt.Rectangle;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;

/** Draws a chart into an SVG element with JFreeSVG; no display needed (headless). */
final class Svg {
  static final int WIDTH = 960;
  static final int HEIGHT = 520;

  private Svg() {}

  /**
   * The chart as one {@code <svg>} element with id {@code id}. Its definitions (clip paths,
   * gradients) get ids that start with {@code id}, so that several charts can live in one HTML page
   * without one chart's clip path clipping another's. Coordinates are written to a hundredth of a
   * pixel, and text as text, not as glyph outlines: a chart of thousands of relays stays a few
   * hundred kB.
   */
  static String element(JFreeChart chart, String id) {
    return element(chart, id, WIDTH, HEIGHT);
  }

  /** As {@link #element(JFreeChart, String)}, {@code width} by {@code height} pixels. */
  static String element(JFreeChart chart, String id, int width, int height) {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(id + "-");
    g.setGeomDoubleConverter(Svg::hundredths);
    g.setTransformDoubleConverter(Svg::hundredths);
    g.setRenderingHint(SVGHints.KEY_DRAW_STRING_TYPE, SVGHints.VALUE_DRAW_STRING_TYPE_STANDARD);
    chart.draw(g, new Rectangle(0, 0, width, height));
    return g.getSVGElement(id);
  }

  /** {@code d} rounded to two decimals, without trailing zeros: {@code 12.5}, {@code -3}. */
  static String hundredths(double d) {
    if (!Double.isFinite(d) || Math.abs(d) > 1e15) {
      return Double.toString(d);
    }
    long v = Math.round(d * 100);
    StringBuilder sb = new StringBuilder(12);
    if (v < 0) {
      sb.append('-');
      v = -v;
    }
    sb.append(v / 100);
    long frac = v % 100;
    if (frac != 0) {
      sb.append('.');
      if (frac < 10) {
        sb.append('0').append(frac);
      } else {
        sb.append(frac % 10 == 0 ? frac / 10 : frac);
      }
    }
    return sb.toString();
  }
}
