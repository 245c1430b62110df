package org.flashflow.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYItemKey;

/**
 * Lines and shapes as usual, but each data point's shape is drawn inside an SVG group that names
 * its series and index ({@code <g jfreesvg:ref='{"seriesKey": ..., "itemIndex": ...}'>}), as
 * JFreeChart's bar renderers do on their own: a reader of the SVG, or a test, can count the points
 * of each series.
 */
final class MarkedShapeRenderer extends XYLineAndShapeRenderer {
  private static final long serialVersionUID = 1L;

  MarkedShapeRenderer(boolean lines, boolean shapes) {
    super(lines, shapes);
  }

  @Override
  public void drawItem(
      Graphics2D g2,
      XYItemRendererState state,
      Rectangle2D dataArea,
      PlotRenderingInfo info,
      XYPlot plot,
      ValueAxis domainAxis,
      ValueAxis rangeAxis,
      XYDataset dataset,
      int series,
      int item,
      CrosshairState crosshairState,
      int pass) {
    boolean mark = isItemPass(pass) && getItemShapeVisible(series, item);
    if (mark) {
      beginElementGroup(g2, new XYItemKey<>(dataset.getSeriesKey(series).toString(), item));
    }
    super.drawItem(
        g2,
        state,
        dataArea,
        info,
        plot,
        domainAxis,
        rangeAxis,
        dataset,
        series,
        item,
        crosshairState,
        pass);
    if (mark) {
      endElementGroup(g2);
    }
  }
}
