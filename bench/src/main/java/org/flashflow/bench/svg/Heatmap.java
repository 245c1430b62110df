package org.flashflow.bench.svg;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A table of coloured cells with row and column labels, as SVG text: each cell a rectangle with a
 * fill and up to three lines of text; labels may span lines ({@code \n}). Pure and deterministic:
 * the same input gives the same bytes, so a regenerated chart diffs cleanly.
 */
public final class Heatmap {
  static final int CELL_W = 92;
  static final int CELL_H = 54;
  static final int ROW_LABEL_W = 130;
  static final int TITLE_H = 30;
  static final int COL_LABEL_H = 40;
  static final int LINE_H = 13;

  /** One cell: its fill colour (e.g. {@code #1a9850}) and its lines of text, the first bold. */
  public record Cell(String fill, List<String> lines) {
    public Cell {
      Objects.requireNonNull(fill, "fill");
      if (!fill.matches("#[0-9a-fA-F]{6}")) {
        throw new IllegalArgumentException("fill must be #rrggbb: " + fill);
      }
      lines = List.copyOf(lines);
      if (lines.size() > 3) {
        throw new IllegalArgumentException("at most 3 lines per cell: " + lines);
      }
    }
  }

  private Heatmap() {}

  /**
   * The chart.
   *
   * @param cells {@code cells[row][column]}, as many as there are labels
   * @param notes lines of text under the table (legend, how it was measured)
   */
  public static String svg(
      String title, List<String> columns, List<String> rows, Cell[][] cells, List<String> notes) {
    if (cells.length != rows.size()) {
      throw new IllegalArgumentException(
          cells.length + " rows of cells, " + rows.size() + " labels");
    }
    for (Cell[] row : cells) {
      if (row.length != columns.size()) {
        throw new IllegalArgumentException(
            row.length + " cells in a row, " + columns.size() + " column labels");
      }
    }
    int width = ROW_LABEL_W + columns.size() * CELL_W + 10;
    int tableTop = TITLE_H + COL_LABEL_H;
    int height = tableTop + rows.size() * CELL_H + 10 + notes.size() * (LINE_H + 3) + 6;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"11\">\n",
            width,
            height,
            width,
            height));
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            width,
            height));
    text(sb, 10, 20, "start", "bold", 14, title);
    for (int c = 0; c < columns.size(); c++) {
      int x = ROW_LABEL_W + c * CELL_W + CELL_W / 2;
      lines(sb, x, TITLE_H + 14, "middle", "bold", columns.get(c).split("\n", -1));
    }
    for (int r = 0; r < rows.size(); r++) {
      int y = tableTop + r * CELL_H;
      String[] label = rows.get(r).split("\n", -1);
      lines(
          sb,
          ROW_LABEL_W - 8,
          y + CELL_H / 2 - (label.length - 1) * LINE_H / 2 + 4,
          "end",
          "bold",
          label);
      for (int c = 0; c < columns.size(); c++) {
        Cell cell = cells[r][c];
        int x = ROW_LABEL_W + c * CELL_W;
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\""
                    + " stroke-width=\"2\"/>\n",
                x,
                y,
                CELL_W,
                CELL_H,
                cell.fill()));
        int n = cell.lines().size();
        int first = y + CELL_H / 2 - (n - 1) * LINE_H / 2 + 4;
        for (int i = 0; i < n; i++) {
          text(
              sb,
              x + CELL_W / 2,
              first + i * LINE_H,
              "middle",
              i == 0 ? "bold" : "normal",
              i == 0 ? 12 : 10,
              cell.lines().get(i));
        }
      }
    }
    int y = tableTop + rows.size() * CELL_H + 10 + LINE_H;
    for (String note : notes) {
      text(sb, 10, y, "start", "normal", 11, note);
      y += LINE_H + 3;
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  /**
   * A colour from red (0) through yellow (0.5) to green (1), for shares; outside [0, 1] clamped.
   */
  public static String redYellowGreen(double v) {
    double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    int[] red = {0xd7, 0x30, 0x27};
    int[] yellow = {0xfe, 0xe0, 0x8b};
    int[] green = {0x1a, 0x98, 0x50};
    int[] a = t < 0.5 ? red : yellow;
    int[] b = t < 0.5 ? yellow : green;
    double f = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
    return String.format(
        Locale.ROOT,
        "#%02x%02x%02x",
        Math.round(a[0] + f * (b[0] - a[0])),
        Math.round(a[1] + f * (b[1] - a[1])),
        Math.round(a[2] + f * (b[2] - a[2])));
  }

  private static void lines(
      StringBuilder sb, int x, int y, String anchor, String weight, String[] lines) {
    for (int i = 0; i < lines.length; i++) {
      text(sb, x, y + i * LINE_H, anchor, weight, 11, lines[i]);
    }
  }

  private static void text(
      StringBuilder sb, int x, int y, String anchor, String weight, int size, String s) {
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-weight=\"%s\" font-size=\"%d\">%s</text>\n",
            x,
            y,
            anchor,
            weight,
            size,
            escape(s)));
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
