package org.flashflow.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A heatmap of a grid of benchmark cells, drawn with the report's charting (JFreeChart into SVG):
 * each cell coloured by a share from 0 to 1 (red at {@code low} or less, yellow halfway, green at
 * 1), or purple when flagged, grey when it has no value, with up to three lines of text. Used by
 * the accuracy grid (docs/benchmarks.md, "Accuracy where it is hard").
 */
public final class Heatmap {
  private static final Color GREY = new Color(0xdd, 0xdd, 0xdd);
  private static final Color PURPLE = new Color(0x7b, 0x32, 0x94);
  private static final Font TITLE = new Font("SansSerif", Font.BOLD, 16);
  private static final Font NOTE = new Font("SansSerif", Font.PLAIN, 11);
  private static final Font LABEL = new Font("SansSerif", Font.PLAIN, 11);
  private static final Font CELL = new Font("SansSerif", Font.PLAIN, 10);
  private static final Font CELL_BOLD = new Font("SansSerif", Font.BOLD, 12);

  /** Paint codes in the dataset's z: a share is 0 to 1; these are below. */
  private static final double NO_VALUE = -1;

  private static final double FLAGGED = -2;

  /**
   * One cell.
   *
   * @param share 0 to 1, or NaN for a cell without a value (grey)
   * @param flagged drawn purple whatever the share (e.g. a liar above its bound)
   * @param lines up to three lines of text, the first in bold
   */
  public record Cell(double share, boolean flagged, List<String> lines) {
    public Cell {
      lines = List.copyOf(lines);
      if (lines.size() > 3) {
        throw new IllegalArgumentException("at most 3 lines in a cell, not " + lines.size());
      }
    }

    /** A cell without a value: grey, with a dash. */
    public static Cell empty() {
      return new Cell(Double.NaN, false, List.of("-"));
    }
  }

  private Heatmap() {}

  /**
   * The heatmap as a standalone SVG document.
   *
   * @param columns labels of the columns, left to right
   * @param rows labels of the rows, top to bottom
   * @param cells {@code cells[row][column]}
   * @param low the share drawn fully red (and everything below it)
   * @param notes lines under the title
   */
  public static String svg(
      String title,
      List<String> columns,
      List<String> rows,
      Cell[][] cells,
      double low,
      List<String> notes) {
    if (cells.length != rows.size()) {
      throw new IllegalArgumentException(rows.size() + " rows, but cells for " + cells.length);
    }
    int n = rows.size() * columns.size();
    double[] x = new double[n];
    double[] y = new double[n];
    double[] z = new double[n];
    int i = 0;
    SymbolAxis rowAxis = new SymbolAxis(null, rows.toArray(new String[0]));
    SymbolAxis columnAxis = new SymbolAxis(null, columns.toArray(new String[0]));
    XYPlot plot = new XYPlot();
    for (int r = 0; r < rows.size(); r++) {
      if (cells[r].length != columns.size()) {
        throw new IllegalArgumentException(
            "row " + r + " has " + cells[r].length + " cells, not " + columns.size());
      }
      for (int c = 0; c < columns.size(); c++) {
        Cell cell = Objects.requireNonNull(cells[r][c], "cell");
        x[i] = c;
        y[i] = r;
        z[i] =
            cell.flagged() ? FLAGGED : Double.isNaN(cell.share()) ? NO_VALUE : clamp(cell.share());
        i++;
        for (int l = 0; l < cell.lines().size(); l++) {
          // The row axis is inverted (first row on top): a larger offset is lower in the cell.
          XYTextAnnotation a =
              new XYTextAnnotation(cell.lines().get(l), c, r + (l - 1) * 0.27 - 0.05);
          a.setFont(l == 0 ? CELL_BOLD : CELL);
          a.setTextAnchor(TextAnchor.CENTER);
          a.setPaint(z[i - 1] == FLAGGED ? Color.WHITE : Color.BLACK);
          plot.addAnnotation(a);
        }
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("cells", new double[][] {x, y, z});
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(new ShareScale(low));
    renderer.setBlockWidth(0.97); // a white gap between cells
    renderer.setBlockHeight(0.95);
    renderer.setDefaultOutlinePaint(Color.WHITE);
    plot.setDataset(data);
    plot.setRenderer(renderer);
    columnAxis.setTickLabelFont(LABEL);
    columnAxis.setGridBandsVisible(false);
    columnAxis.setRange(-0.5, columns.size() - 0.5);
    rowAxis.setTickLabelFont(LABEL);
    rowAxis.setGridBandsVisible(false);
    rowAxis.setInverted(true);
    rowAxis.setRange(-0.5, rows.size() - 0.5);
    plot.setDomainAxis(columnAxis);
    plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
    plot.setRangeAxis(rowAxis);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineStroke(new BasicStroke(0));
    JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    for (int k = notes.size() - 1; k >= 0; k--) { // bottom titles stack upwards
      TextTitle t = new TextTitle(notes.get(k), NOTE);
      t.setPosition(RectangleEdge.BOTTOM);
      t.setHorizontalAlignment(HorizontalAlignment.LEFT);
      chart.addSubtitle(t);
    }
    int width = Math.max(Svg.WIDTH, 150 + 120 * columns.size());
    int height = 160 + 16 * notes.size() + 64 * rows.size();
    return Svg.element(chart, "heatmap", width, height) + "\n";
  }

  private static double clamp(double share) {
    return Math.max(0, Math.min(1, share));
  }

  /**
   * Red at {@code low} or less, through yellow halfway, to green at 1, for shares; grey and purple
   * for the codes below 0.
   */
  static Color shareColor(double share, double low) {
    double t = Math.max(0, Math.min(1, (share - low) / (1 - low)));
    Color red = new Color(0xd7, 0x30, 0x27);
    Color yellow = new Color(0xfe, 0xe0, 0x8b);
    Color green = new Color(0x1a, 0x98, 0x50);
    return t < 0.5 ? mix(red, yellow, t * 2) : mix(yellow, green, (t - 0.5) * 2);
  }

  private static Color mix(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }

  private record ShareScale(double low) implements PaintScale {
    @Override
    public double getLowerBound() {
      return FLAGGED;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      if (value == FLAGGED) {
        return PURPLE;
      }
      if (value == NO_VALUE) {
        return GREY;
      }
      return shareColor(value, low);
    }
  }
}
