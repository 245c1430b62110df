package org.flashflow.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.flashflow.common.io.AtomicFiles;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ReadStats;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.coord.schedule.SavedSchedule;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.coord.v3bw.DescriptorStore;
import org.flashflow.torctl.model.RouterStatus;
import org.jfree.chart.JFreeChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flashflow report}: the results log (with its rotated siblings), the saved consensus and
 * descriptors and the schedule's state file in; one HTML page with five charts out, the charts also
 * as SVG files next to it. The page is self-contained: the SVGs are inlined, it has no script and
 * fetches nothing (its Content-Security-Policy forbids it).
 *
 * <p>The log is streamed ({@link ResultsDigest}): memory grows with the relays, not the log.
 * Blocking; meant for the command line, not the event loop.
 */
public final class Report {
  private static final Logger log = LoggerFactory.getLogger(Report.class);
  private static final Pattern FP = Pattern.compile("\\$?[0-9A-Fa-f]{40}");

  /** The page's name in the output directory. */
  public static final String PAGE = "index.html";

  /**
   * What to read and where to write.
   *
   * @param resultsLog {@code [coord] results_log}
   * @param datadir {@code [coord] datadir}, where the consensus and descriptors are saved
   * @param stateFile {@code [coord] state_file}
   * @param period {@code [schedule] period}, for the progress chart when there is no state file
   * @param relay whose newest measurement to show second by second; empty: the newest of any
   * @param outDir where the page and the SVG files go (created if missing)
   * @param version flashflow's version, for the page's footer
   * @param now the time the report is made at
   */
  public record Settings(
      Path resultsLog,
      Path datadir,
      Path stateFile,
      Duration period,
      Optional<String> relay,
      Path outDir,
      String version,
      Instant now) {
    public Settings {
      Objects.requireNonNull(resultsLog, "resultsLog");
      Objects.requireNonNull(datadir, "datadir");
      Objects.requireNonNull(stateFile, "stateFile");
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(outDir, "outDir");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(now, "now");
      relay = relay.map(Report::fingerprint);
    }
  }

  private Report() {}

  /**
   * A relay fingerprint as the results log has it: 40 upper-case hex digits.
   *
   * @throws IllegalArgumentException naming the value if it is not 40 hex digits (with or without a
   *     leading {@code $})
   */
  public static String fingerprint(String fp) {
    if (!FP.matcher(fp).matches()) {
      throw new IllegalArgumentException(
          "relay fingerprint must be 40 hex digits (optionally after $), not '" + fp + "'");
    }
    return fp.substring(fp.length() - 40).toUpperCase(Locale.ROOT);
  }

  /**
   * Writes the page and its SVG files.
   *
   * @return the page
   * @throws IOException if a file cannot be read or written
   * @throws UnknownRelayException if the chosen relay has no completed measurement in the log
   */
  public static Path write(Settings s) throws IOException, UnknownRelayException {
    // JFreeChart draws through AWT; a report made over SSH or in CI has no display.
    System.setProperty("java.awt.headless", "true");
    ResultsLogReader.Summary<ResultsDigest> read =
        new ResultsLogReader(s.resultsLog())
            .read(() -> new ResultsDigest(s.relay()), ResultsDigest::addAll);
    ResultsDigest digest = read.value();
    if (s.relay().isPresent() && digest.chosen().isEmpty()) {
      throw new UnknownRelayException(
          "relay " + s.relay().get() + " has no completed measurement in " + s.resultsLog());
    }
    List<RouterStatus> consensus = new ConsensusStore(s.datadir()).load();
    DescriptorStore descriptorStore = new DescriptorStore(s.datadir());
    DescriptorStore.Saved descriptors = descriptorStore.load();
    Optional<SavedSchedule> schedule = SavedSchedule.read(s.stateFile());
    List<RelayRow> rows = RelayRow.of(digest, consensus, descriptors);

    Files.createDirectories(s.outDir());
    Page page = new Page(s, read.stats(), digest, rows, consensus, descriptors, schedule);
    page.section(
        "estimates",
        "1. Estimates against consensus weight and advertised bandwidth",
        explainScatter(rows, consensus, descriptors),
        rows.isEmpty() ? null : Charts.scatter(rows),
        "no relay has a completed measurement in the results log");
    page.section(
        "distribution",
        "2. Distribution of estimates and total measured capacity",
        "Each relay's newest estimate, counted in bins a fifth of a decade wide (log scale). The"
            + " total is the sum of those estimates.",
        rows.isEmpty() ? null : Charts.distribution(rows),
        "no estimates yet");
    TreeMap<Long, int[]> perMinute = digest.perMinute();
    page.section(
        "outcomes",
        "3. Measurement outcomes over time",
        "Every measurement in the results log by the minute it began: completed ones, and failed"
            + " ones by the reason the log gives (docs/protocol.md section 6).",
        perMinute.isEmpty()
            ? null
            : Charts.outcomes(
                perMinute, Charts.bucketMinutes(perMinute.firstKey(), perMinute.lastKey())),
        "the results log holds no measurement");
    PeriodProgress progress =
        schedule.isPresent()
            ? PeriodProgress.of(schedule.get(), s.now())
            : PeriodProgress.of(digest, consensus, s.period(), s.now());
    page.section(
        "progress",
        "4. Progress through the current period",
        schedule.isPresent()
            ? "Each relay of the schedule's period by its state in the state file ("
                + s.stateFile()
                + "): PLANNED and RUNNING are still to come, DONE has a result, the rest are"
                + " described in docs/schedule.md."
            : "There is no schedule state file ("
                + s.stateFile()
                + "; the schedule is off or has not saved yet), so this counts from the results"
                + " log which relays completed a measurement since the current period began.",
        Charts.progress(progress),
        "");
    Optional<MeasurementRecord> chosen = digest.chosen();
    page.section(
        "seconds",
        "5. One measurement, second by second",
        (s.relay().isPresent()
                ? "The newest completed measurement of the chosen relay"
                : "The"
                    + " newest completed measurement in the log (choose another relay with --relay FP)")
            + ": each measurer's bytes per second, the background traffic the relay claimed,"
            + " the part of it we believe (at most r / (1 - r) of what the measurers got), the"
            + " sum of the measurers' bytes and the believed background, and the median of those"
            + " sums: the estimate (docs/protocol.md section 5).",
        chosen
            .map(r -> Charts.seconds(r, relayName(r.relayFp(), consensus, descriptors)))
            .orElse(null),
        "no completed measurement in the results log");
    Path html = s.outDir().resolve(PAGE);
    write(html, page.html());
    log.info(
        "report {}: {} relays with an estimate, {} completed and {} failed measurements",
        html,
        rows.size(),
        digest.completed(),
        digest.failed());
    return html;
  }

  static String relayName(
      String fp, List<RouterStatus> consensus, DescriptorStore.Saved descriptors) {
    for (RouterStatus rs : consensus) {
      if (rs.fingerprint().equals(fp)) {
        return rs.nickname() + " ($" + fp + ")";
      }
    }
    var d = descriptors.byFingerprint().get(fp);
    return d != null ? d.nickname() + " ($" + fp + ")" : "$" + fp;
  }

  private static String explainScatter(
      List<RelayRow> rows, List<RouterStatus> consensus, DescriptorStore.Saved descriptors) {
    long clamped = rows.stream().filter(RelayRow::clamped).count();
    long capped = rows.stream().filter(RelayRow::capped).count();
    StringBuilder sb = new StringBuilder();
    sb.append(
        "Each measured relay's newest estimate (x) against its weight in the saved consensus"
            + " (blue dots) and its advertised bandwidth, min(average, burst, observed) of its"
            + " saved server descriptor (green squares); the dashed line is y = x. Red circles"
            + " mark relays that claimed more background traffic than we believe, so that the"
            + " cap decided their estimate (a liar, or a relay with a lot of real traffic): ");
    sb.append(clamped).append(". Orange squares mark relays whose estimate is above their");
    sb.append(" descriptor's bandwidth-avg, so the bandwidth file votes bandwidth-avg: ");
    sb.append(capped).append('.');
    if (consensus.isEmpty()) {
      sb.append(" No saved consensus was found, so there are no consensus weights.");
    }
    if (descriptors.byFingerprint().isEmpty()) {
      sb.append(
          " No saved server descriptors were found, so there is no advertised bandwidth and no"
              + " relay is known to be capped.");
    }
    return sb.toString();
  }

  static void write(Path file, String content) throws IOException {
    AtomicFiles.writeAtomically(
        file, content.getBytes(UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** The page as it is built, section by section; writes each chart's SVG file on the way. */
  private static final class Page {
    private final Settings settings;
    private final StringBuilder body = new StringBuilder(1 << 12);
    private final StringBuilder sections = new StringBuilder(1 << 20);
    private final List<String> toc = new ArrayList<>();

    Page(
        Settings s,
        ReadStats stats,
        ResultsDigest digest,
        List<RelayRow> rows,
        List<RouterStatus> consensus,
        DescriptorStore.Saved descriptors,
        Optional<SavedSchedule> schedule) {
      this.settings = s;
      double total = rows.stream().mapToDouble(RelayRow::estimate).sum();
      body.append("<table class=\"facts\">\n");
      fact("Made", Html.utc(s.now().getEpochSecond()) + " by flashflow " + s.version());
      fact(
          "Results log",
          s.resultsLog()
              + " and its rotated siblings: "
              + stats.files()
              + " files, "
              + String.format(Locale.ROOT, "%,d", stats.lines())
              + " lines"
              + (stats.unreadableFiles() > 0
                  ? ", " + stats.unreadableFiles() + " not readable to the end"
                  : "")
              + (stats.skipped() + stats.orphans() + stats.incomplete() > 0
                  ? String.format(
                      Locale.ROOT,
                      "; skipped %d bad lines, %d orphan lines, %d unfinished measurements",
                      stats.skipped(),
                      stats.orphans(),
                      stats.incomplete())
                  : ""));
      fact(
          "Measurements",
          String.format(
              Locale.ROOT, "%,d completed, %,d failed", digest.completed(), digest.failed()));
      fact(
          "Relays",
          rows.size()
              + " with an estimate; total measured capacity "
              + Charts.rate(total)
              + String.format(Locale.ROOT, " (%.1f Gbit/s)", total * 8 / 1e9));
      fact(
          "Consensus",
          consensus.isEmpty()
              ? "none saved in " + s.datadir()
              : consensus.size()
                  + " relays ("
                  + s.datadir().resolve(ConsensusStore.FILE_NAME)
                  + ")");
      fact(
          "Descriptors",
          descriptors.byFingerprint().isEmpty()
              ? "none saved in " + s.datadir()
              : descriptors.byFingerprint().size()
                  + " relays ("
                  + s.datadir().resolve(DescriptorStore.FILE_NAME)
                  + ")");
      fact(
          "Schedule",
          schedule.isPresent()
              ? "state file " + s.stateFile()
              : "no state file (" + s.stateFile() + ")");
      body.append("</table>\n");
      outliers(rows);
    }

    private void fact(String name, String value) {
      body.append("<tr><th>")
          .append(Html.escape(name))
          .append("</th><td>")
          .append(Html.escape(value))
          .append("</td></tr>\n");
    }

    /** Relays whose background was clamped or that were capped, largest first (at most 50). */
    private void outliers(List<RelayRow> rows) {
      List<RelayRow> marked =
          rows.stream().filter(r -> r.clamped() || r.capped() || r.measurerLimited()).toList();
      if (marked.isEmpty()) {
        return;
      }
      body.append("<details><summary>")
          .append(marked.size())
          .append(" relays with a mark (clamped background, capped, or measurer-limited)")
          .append("</summary>\n<table class=\"relays\"><tr><th>relay</th><th>estimate</th>")
          .append("<th>consensus</th><th>advertised</th><th>marks</th><th>measured</th></tr>\n");
      for (RelayRow r : marked.subList(0, Math.min(50, marked.size()))) {
        List<String> marks = new ArrayList<>();
        if (r.clamped()) {
          marks.add("background clamped");
        }
        if (r.capped()) {
          marks.add("capped");
        }
        if (r.measurerLimited()) {
          marks.add("measurer-limited");
        }
        body.append("<tr><td>")
            .append(Html.escape((r.nick().isEmpty() ? "" : r.nick() + " ") + "$" + r.fp()))
            .append("</td><td>")
            .append(Charts.rate(r.estimate()))
            .append("</td><td>")
            .append(r.consensusWeight() < 0 ? "-" : Charts.rate(r.consensusWeight()))
            .append("</td><td>")
            .append(r.advertised() < 0 ? "-" : Charts.rate(r.advertised()))
            .append("</td><td>")
            .append(Html.escape(String.join(", ", marks)))
            .append("</td><td>")
            .append(Html.utc(r.beginTs()))
            .append("</td></tr>\n");
      }
      body.append("</table></details>\n");
    }

    void section(String id, String title, String text, JFreeChart chart, String none)
        throws IOException {
      toc.add("<li><a href=\"#" + id + "\">" + Html.escape(title) + "</a></li>");
      StringBuilder body = sections;
      body.append("<section id=\"").append(id).append("\">\n<h2>");
      body.append(Html.escape(title)).append("</h2>\n<p>").append(Html.escape(text));
      body.append("</p>\n");
      if (chart == null) {
        body.append("<p class=\"none\">").append(Html.escape(none)).append("</p>\n");
      } else {
        String svg = Svg.element(chart, "chart-" + id);
        Path file = settings.outDir().resolve(id + ".svg");
        write(file, "<?xml version=\"1.0\"?>\n" + svg + "\n");
        body.append("<figure>").append(svg).append("\n<figcaption><a href=\"");
        body.append(id).append(".svg\">").append(id).append(".svg</a></figcaption></figure>\n");
      }
      body.append("</section>\n");
    }

    String html() {
      return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
          + " style-src 'unsafe-inline'\">\n"
          + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          + "<title>FlashFlow report</title>\n<style>\n"
          + "body{font-family:sans-serif;margin:1.5em auto;max-width:1000px;color:#222}\n"
          + "table{border-collapse:collapse;font-size:90%}\n"
          + "th,td{text-align:left;padding:2px 8px;vertical-align:top}\n"
          + "table.relays td,table.relays th{border-bottom:1px solid #ddd}\n"
          + "figure{margin:0}svg{max-width:100%;height:auto}\n"
          + "figcaption{font-size:80%}.none{color:#a00}\n"
          + "section{margin-top:2em}\n"
          + "</style>\n</head>\n<body>\n<h1>FlashFlow report</h1>\n"
          + body
          + "<nav><ol>\n"
          + String.join("\n", toc)
          + "\n</ol></nav>\n"
          + sections
          + "</body>\n</html>\n";
    }
  }
}
