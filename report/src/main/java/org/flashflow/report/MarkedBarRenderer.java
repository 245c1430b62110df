package org.flashflow.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.data.xy.XYDataset;

/**
 * Bars, each drawn inside an SVG group that names its series and index, like {@link
 * MarkedShapeRenderer}'s points. {@link XYBarRenderer} does this itself when its state asks for
 * element hinting, which no XY plot of JFreeChart 1.5 turns on; this renderer does.
 */
final class MarkedBarRenderer extends XYBarRenderer {
  private static final long serialVersionUID = 1L;

  @Override
  public XYItemRendererState initialise(
      Graphics2D g2, Rectangle2D dataArea, XYPlot plot, XYDataset dataset, PlotRenderingInfo info) {
    XYItemRendererState state = super.initialise(g2, dataArea, plot, dataset, info);
    state.setElementHinting(true);
    return state;
  }
}
