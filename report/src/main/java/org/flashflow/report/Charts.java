package org.flashflow.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's five charts as JFreeChart objects, from the digested results; {@link Svg} draws
 * them. Pure: nothing here reads a file or the clock. Bandwidth is shown in MB/s (10^6 bytes per
 * second), the unit of the bandwidth file's kB scaled up.
 */
final class Charts {
  static final String CONSENSUS = "consensus weight";
  static final String ADVERTISED = "advertised bandwidth";
  static final String CLAMPED = "background clamped (liar?)";
  static final String CAPPED = "capped at bandwidth-avg";
  static final String RELAYS = "relays";
  static final String COMPLETED = "completed";
  static final String MEASURER = "measurer ";
  static final String CLAIMED = "claimed background";
  static final String BELIEVED = "clamped background";
  static final String SUM = "sum (measured + clamped background)";

  private static final double MB = 1e6;
  private static final Font TITLE = new Font("SansSerif", Font.BOLD, 16);
  private static final Font SUBTITLE = new Font("SansSerif", Font.PLAIN, 12);
  private static final Color[] FAIL_COLORS = {
    new Color(0xd6, 0x27, 0x28),
    new Color(0xff, 0x7f, 0x0e),
    new Color(0x94, 0x67, 0xbd),
    new Color(0x8c, 0x56, 0x4b),
    new Color(0xe3, 0x77, 0xc2),
    new Color(0x7f, 0x7f, 0x7f),
    new Color(0xbc, 0xbd, 0x22),
    new Color(0x17, 0xbe, 0xcf),
    new Color(0xff, 0x98, 0x96),
    new Color(0xc5, 0xb0, 0xd5),
    new Color(0x52, 0x54, 0xa3),
  };
  private static final Color BLUE = new Color(0x1f, 0x77, 0xb4);
  private static final Color GREEN = new Color(0x2c, 0xa0, 0x2c);
  private static final Color ORANGE = new Color(0xff, 0x7f, 0x0e);
  private static final Color RED = new Color(0xd6, 0x27, 0x28);

  private Charts() {}

  /**
   * (1) Each relay's estimate against its consensus weight and its advertised bandwidth, log-log,
   * with relays whose background claim was clamped and relays capped at bandwidth-avg marked.
   * Values of 0 (or unknown) have no place on a log axis and are left out.
   */
  static JFreeChart scatter(List<RelayRow> rows) {
    XYSeries consensus = new XYSeries(CONSENSUS, false, true);
    XYSeries advertised = new XYSeries(ADVERTISED, false, true);
    XYSeries clamped = new XYSeries(CLAMPED, false, true);
    XYSeries capped = new XYSeries(CAPPED, false, true);
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (RelayRow r : rows) {
      double x = r.estimate() / MB;
      if (!(x > 0)) {
        continue;
      }
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      if (r.consensusWeight() > 0) {
        consensus.add(x, r.consensusWeight() / MB);
      }
      if (r.advertised() > 0) {
        advertised.add(x, r.advertised() / MB);
      }
      if (r.markY() > 0) {
        if (r.clamped()) {
          clamped.add(x, r.markY() / MB);
        }
        if (r.capped()) {
          capped.add(x, r.markY() / MB);
        }
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(consensus);
    data.addSeries(advertised);
    data.addSeries(clamped);
    data.addSeries(capped);
    XYSeries diagonal = new XYSeries("y = estimate", false, true);
    if (hi > 0) {
      diagonal.add(lo, lo);
      diagonal.add(hi, hi);
    }
    data.addSeries(diagonal);

    MarkedShapeRenderer renderer = new MarkedShapeRenderer(false, true);
    double d = 6;
    Ellipse2D dot = new Ellipse2D.Double(-d / 2, -d / 2, d, d);
    renderer.setSeriesShape(0, dot);
    renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4, 0xa0));
    renderer.setSeriesShape(1, new Rectangle2D.Double(-d / 2, -d / 2, d, d));
    renderer.setSeriesPaint(1, new Color(0x2c, 0xa0, 0x2c, 0xa0));
    double big = 14;
    renderer.setSeriesShape(
        2,
        ring(
            new Ellipse2D.Double(-big / 2, -big / 2, big, big),
            new Ellipse2D.Double(-5, -5, 10, 10)));
    renderer.setSeriesPaint(2, RED);
    renderer.setSeriesShape(
        3,
        ring(
            new Rectangle2D.Double(-big / 2, -big / 2, big, big),
            new Rectangle2D.Double(-5, -5, 10, 10)));
    renderer.setSeriesPaint(3, ORANGE);
    renderer.setSeriesLinesVisible(4, true);
    renderer.setSeriesShapesVisible(4, false);
    renderer.setSeriesPaint(4, Color.GRAY);
    renderer.setSeriesStroke(
        4,
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
    // Filled shapes only (the marks are rings): an outline per point would double the SVG.
    renderer.setDrawOutlines(false);

    XYPlot plot = new XYPlot(data, logAxis("FlashFlow estimate (MB/s)"), logAxis("MB/s"), renderer);
    return chart(
        "Estimates against consensus weight and advertised bandwidth",
        plot,
        rows.size() + " measured relays (newest completed measurement each); log-log");
  }

  /** (2) How the estimates are distributed (bins of a fifth of a decade), and their total. */
  static JFreeChart distribution(List<RelayRow> rows) {
    TreeMap<Integer, Integer> bins = new TreeMap<>();
    double total = 0;
    int n = 0;
    for (RelayRow r : rows) {
      if (r.estimate() > 0) {
        bins.merge((int) Math.floor(Math.log10(r.estimate() / MB) * 5), 1, Integer::sum);
        total += r.estimate();
        n++;
      }
    }
    XYIntervalSeries relays = new XYIntervalSeries(RELAYS);
    for (Map.Entry<Integer, Integer> e : bins.entrySet()) {
      double from = Math.pow(10, e.getKey() / 5.0);
      double to = Math.pow(10, (e.getKey() + 1) / 5.0);
      relays.add(Math.sqrt(from * to), from, to, e.getValue(), 0, e.getValue());
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(relays);
    XYBarRenderer renderer = bars();
    renderer.setSeriesPaint(0, BLUE);
    renderer.setDrawBarOutline(true);
    renderer.setSeriesOutlinePaint(0, Color.WHITE);
    NumberAxis count = new NumberAxis("relays");
    count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, logAxis("FlashFlow estimate (MB/s)"), count, renderer);
    return chart(
        "Distribution of estimates",
        plot,
        String.format(
            Locale.ROOT,
            "%d relays; total measured capacity %s (%.1f Gbit/s)",
            n,
            rate(total),
            total * 8 / 1e9));
  }

  /**
   * (3) Measurements per time bucket by begin time, completed and failed by reason, stacked.
   *
   * @param perMinute {@link ResultsDigest#perMinute}
   * @param bucketMinutes width of a bar
   */
  static JFreeChart outcomes(TreeMap<Long, int[]> perMinute, long bucketMinutes) {
    TreeMap<Long, int[]> buckets = new TreeMap<>();
    perMinute.forEach(
        (minute, counts) -> {
          int[] b =
              buckets.computeIfAbsent(
                  Math.floorDiv(minute, bucketMinutes), k -> new int[ResultsDigest.OUTCOMES]);
          for (int i = 0; i < counts.length; i++) {
            b[i] += counts[i];
          }
        });
    int[] totals = new int[ResultsDigest.OUTCOMES];
    buckets.values().forEach(c -> addTo(totals, c));
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < totals.length; i++) {
      if (i == 0 || totals[i] > 0) {
        shown.add(i);
      }
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    List<XYIntervalSeries> series = new ArrayList<>();
    for (int i : shown) {
      XYIntervalSeries s = new XYIntervalSeries(outcomeName(i));
      series.add(s);
      data.addSeries(s);
    }
    long width = bucketMinutes * 60_000L;
    for (Map.Entry<Long, int[]> e : buckets.entrySet()) {
      long from = e.getKey() * width;
      double stacked = 0;
      for (int k = 0; k < shown.size(); k++) {
        int count = e.getValue()[shown.get(k)];
        if (count > 0) {
          series
              .get(k)
              .add(from + width / 2.0, from, from + width, count, stacked, stacked + count);
          stacked += count;
        }
      }
    }
    XYBarRenderer renderer = bars();
    for (int k = 0; k < shown.size(); k++) {
      int i = shown.get(k);
      renderer.setSeriesPaint(k, i == 0 ? GREEN : FAIL_COLORS[(i - 1) % FAIL_COLORS.length]);
    }
    DateAxis time = new DateAxis("begin time (UTC)");
    time.setTimeZone(TimeZone.getTimeZone("UTC"));
    NumberAxis count = new NumberAxis("measurements per " + bucketName(bucketMinutes));
    count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, time, count, renderer);
    int failed = 0;
    for (int i = 1; i < totals.length; i++) {
      failed += totals[i];
    }
    return chart(
        "Measurement outcomes over time",
        plot,
        String.format(
            Locale.ROOT,
            "%d completed, %d failed; one bar per %s",
            totals[0],
            failed,
            bucketName(bucketMinutes)));
  }

  /** (4) Where the relays of the current period stand. */
  static JFreeChart progress(PeriodProgress p) {
    String[] names = p.counts().keySet().toArray(new String[0]);
    XYIntervalSeries relays = new XYIntervalSeries(RELAYS);
    int i = 0;
    for (int count : p.counts().values()) {
      if (count > 0) {
        relays.add(i, i - 0.35, i + 0.35, count, 0, count);
      }
      i++;
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(relays);
    XYBarRenderer renderer = bars();
    renderer.setSeriesPaint(0, BLUE);
    SymbolAxis states = new SymbolAxis(null, names);
    states.setGridBandsVisible(false);
    NumberAxis count = new NumberAxis("relays");
    count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, states, count, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    return chart("Progress through the current period", plot, p.summary());
  }

  /**
   * (5) One measurement second by second: each measurer's bytes, the background the relay claimed
   * and the part of it we believe, their sum, and the median of the sums, which is the estimate.
   * The results log does not name the measurers, so they are numbered in the order of their lines.
   */
  static JFreeChart seconds(MeasurementRecord r, String relayName) {
    int measurers = 0;
    for (MeasurementRecord.Second s : r.seconds()) {
      measurers = Math.max(measurers, s.measurerRecv().size());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    List<XYSeries> each = new ArrayList<>();
    for (int m = 0; m < measurers; m++) {
      XYSeries s = new XYSeries(MEASURER + (m + 1), false, true);
      each.add(s);
      data.addSeries(s);
    }
    XYSeries claimed = new XYSeries(CLAIMED, false, true);
    XYSeries believed = new XYSeries(BELIEVED, false, true);
    XYSeries sum = new XYSeries(SUM, false, true);
    for (int i = 0; i < r.seconds().size(); i++) {
      MeasurementRecord.Second s = r.seconds().get(i);
      for (int m = 0; m < s.measurerRecv().size(); m++) {
        each.get(m).add(i, s.measurerRecv().get(m) / MB);
      }
      claimed.add(i, Math.max(0, s.claimedBg()) / MB);
      believed.add(i, Math.max(0, Math.min(s.claimedBg(), s.maxBg())) / MB);
      sum.add(i, Estimate.total(s) / MB);
    }
    data.addSeries(claimed);
    data.addSeries(believed);
    data.addSeries(sum);

    MarkedShapeRenderer renderer = new MarkedShapeRenderer(true, true);
    renderer.setDrawOutlines(false);
    double d = 4;
    Ellipse2D dot = new Ellipse2D.Double(-d / 2, -d / 2, d, d);
    for (int k = 0; k < data.getSeriesCount(); k++) {
      renderer.setSeriesShape(k, dot);
    }
    for (int m = 0; m < measurers; m++) {
      renderer.setSeriesPaint(m, FAIL_COLORS[(m + 5) % FAIL_COLORS.length]);
    }
    renderer.setSeriesPaint(measurers, ORANGE);
    renderer.setSeriesStroke(
        measurers,
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {5f, 3f}, 0f));
    renderer.setSeriesPaint(measurers + 1, GREEN);
    renderer.setSeriesPaint(measurers + 2, BLUE);
    renderer.setSeriesStroke(measurers + 2, new BasicStroke(2.5f));

    NumberAxis second = new NumberAxis("second of the measurement");
    second.setTickUnit(new NumberTickUnit(Math.max(1, r.seconds().size() / 10)));
    NumberAxis rate = new NumberAxis("MB/s");
    rate.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, second, rate, renderer);
    double estimate = Estimate.estimate(r);
    ValueMarker median = new ValueMarker(estimate / MB, RED, new BasicStroke(1.5f));
    median.setLabel("estimate = median of the sums = " + rate(estimate));
    median.setLabelFont(SUBTITLE);
    median.setLabelPaint(RED);
    median.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    median.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    plot.addRangeMarker(median);
    return chart(
        "One measurement, second by second",
        plot,
        relayName
            + ", meas_id "
            + r.measId()
            + ", begun "
            + Html.utc(r.beginTs())
            + ", "
            + r.seconds().size()
            + " s");
  }

  /** A bar width for a time span: the smallest of 1 min .. 1 day giving at most 200 bars. */
  static long bucketMinutes(long firstMinute, long lastMinute) {
    long span = Math.max(1, lastMinute - firstMinute + 1);
    for (long w : new long[] {1, 5, 15, 60, 360, 1440}) {
      if (span / w <= 200) {
        return w;
      }
    }
    return 10_080;
  }

  static String outcomeName(int i) {
    return i == 0 ? COMPLETED : "failed: " + FailReason.values()[i - 1].name();
  }

  /** A bandwidth as people say it: bytes/s as kB/s, MB/s or GB/s (powers of 1000). */
  static String rate(double bytesPerSecond) {
    if (bytesPerSecond >= 1e9) {
      return String.format(Locale.ROOT, "%.2f GB/s", bytesPerSecond / 1e9);
    }
    if (bytesPerSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2f MB/s", bytesPerSecond / 1e6);
    }
    return String.format(Locale.ROOT, "%.1f kB/s", bytesPerSecond / 1e3);
  }

  private static String bucketName(long minutes) {
    if (minutes % 1440 == 0) {
      return minutes == 1440 ? "day" : minutes / 1440 + " days";
    }
    if (minutes % 60 == 0) {
      return minutes == 60 ? "hour" : minutes / 60 + " hours";
    }
    return minutes == 1 ? "minute" : minutes + " minutes";
  }

  private static void addTo(int[] into, int[] counts) {
    for (int i = 0; i < counts.length; i++) {
      into[i] += counts[i];
    }
  }

  /** {@code outer} without {@code inner}: a hollow mark drawn by filling alone. */
  private static Shape ring(Shape outer, Shape inner) {
    Area a = new Area(outer);
    a.subtract(new Area(inner));
    return a;
  }

  private static LogAxis logAxis(String label) {
    LogAxis axis = new LogAxis(label);
    axis.setBase(10);
    axis.setSmallestValue(1e-6);
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    axis.setNumberFormatOverride(new DecimalFormat("0.###"));
    return axis;
  }

  private static XYBarRenderer bars() {
    XYBarRenderer renderer = new MarkedBarRenderer();
    renderer.setUseYInterval(true);
    renderer.setShadowVisible(false);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setDrawBarOutline(false);
    return renderer;
  }

  private static JFreeChart chart(String title, XYPlot plot, String subtitle) {
    plot.setBackgroundPaint(Color.WHITE);
    Paint grid = new Color(0xdd, 0xdd, 0xdd);
    plot.setDomainGridlinePaint(grid);
    plot.setRangeGridlinePaint(grid);
    JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(subtitle, SUBTITLE));
    chart.setAntiAlias(true);
    return chart;
  }
}
