package org.flashflow.bench.v3bw;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.torctl.model.RouterStatus;

/**
 * Writes a deterministic week of results as the coordinator would: every relay measured once a day
 * (30 s, 3 measurers: BEGIN + 30 x (3 MEASR + BG) + END = 122 lines), about 1% failed (BEGIN +
 * FAIL). Relay capacities are log-normal around 4 MB/s (50 kB/s to 150 MB/s); each second the
 * measurers see 85-100% of it, split unevenly, and the relay claims some background traffic, capped
 * by {@code bg_percent = 0.25} exactly as the coordinator computes it.
 *
 * <p>The oldest 2 days go to {@code results.log.2.gz}, the next 2 to {@code results.log.1}, the
 * last 3 to the live {@code results.log}, as after two rotations with logrotate's {@code compress}
 * and {@code delaycompress}. A consensus of the measured relays plus 5% unmeasured is saved as the
 * coordinator saves it.
 */
public final class WeekOfResults {
  static final int LINES_PER_MEASUREMENT = 122;
  private static final int SECONDS = 30;
  private static final double BG_PERCENT = 0.25;
  private static final long DAY = 86_400;

  private WeekOfResults() {}

  /** Line counts written, per file. */
  public record Written(long lines, long gzLines, long bytes) {}

  public static String fingerprint(int relay) {
    return String.format(Locale.ROOT, "%08X%032X", relay * 2_654_435_761L & 0xFFFF_FFFFL, relay);
  }

  public static Written write(
      Path resultsDir, Path datadir, int relays, int days, int measurers, Instant now)
      throws IOException {
    Files.createDirectories(resultsDir);
    Random random = new Random(316);
    double[] capacity = new double[relays];
    for (int r = 0; r < relays; r++) {
      double c = Math.exp(Math.log(4e6) + 1.3 * random.nextGaussian());
      capacity[r] = Math.max(50e3, Math.min(150e6, c));
    }
    long start = now.getEpochSecond() - days * DAY;
    long lines = 0;
    long gzLines = 0;
    long bytes = 0;
    int gzDays = Math.min(2, days);
    int oneDays = Math.min(2, days - gzDays);
    String[] names = {"results.log.2.gz", "results.log.1", "results.log"};
    int[] dayCount = {gzDays, oneDays, days - gzDays - oneDays};
    int day = 0;
    for (int f = 0; f < names.length; f++) {
      Path file = resultsDir.resolve(names[f]);
      boolean gz = names[f].endsWith(".gz");
      try (OutputStream raw = Files.newOutputStream(file);
          OutputStream out = gz ? new GZIPOutputStream(raw, 1 << 16) : raw) {
        StringBuilder sb = new StringBuilder(1 << 21);
        for (int d = 0; d < dayCount[f]; d++, day++) {
          long dayStart = start + day * DAY;
          for (int r = 0; r < relays; r++) {
            long begin = dayStart + (long) r * (DAY - 60) / relays;
            long id = random.nextLong() & 0xFFFF_FFFFL;
            long n = measurement(sb, random, id, fingerprint(r), begin, capacity[r], measurers);
            lines += n;
            if (gz) {
              gzLines += n;
            }
            if (sb.length() > 1 << 20) {
              byte[] b = sb.toString().getBytes(UTF_8);
              bytes += b.length;
              out.write(b);
              sb.setLength(0);
            }
          }
        }
        byte[] b = sb.toString().getBytes(UTF_8);
        bytes += b.length;
        out.write(b);
      }
    }
    List<RouterStatus> consensus = new ArrayList<>();
    for (int r = 0; r < relays + relays / 20; r++) {
      long kbs = r < relays ? Math.round(capacity[r] / 1000) : 20 + r % 1000;
      consensus.add(
          new RouterStatus(
              "relay" + r,
              fingerprint(r),
              now.minusSeconds(3600),
              "10." + (r >> 16 & 255) + "." + (r >> 8 & 255) + "." + (r & 255),
              9001,
              0,
              Set.of("Fast", "Running", "Stable", "Valid"),
              kbs,
              OptionalLong.empty()));
    }
    new ConsensusStore(datadir).save(consensus, now);
    return new Written(lines, gzLines, bytes);
  }

  private static long measurement(
      StringBuilder sb, Random random, long id, String fp, long begin, double cap, int measurers) {
    sb.append(id).append(' ').append(begin).append(" BEGIN ").append(fp).append('\n');
    if (random.nextInt(100) == 0) {
      sb.append(id).append(' ').append(begin).append(" FAIL TIMEOUT setup took too long\n");
      return 2;
    }
    for (int s = 0; s < SECONDS; s++) {
      long ts = begin + s;
      double seen = cap * (0.85 + 0.15 * random.nextDouble());
      long measured = 0;
      for (int m = 0; m < measurers; m++) {
        long recv = Math.round(seen / measurers * (0.8 + 0.4 * random.nextDouble()));
        measured += recv;
        sb.append(id).append(' ').append(ts).append(" MEASR ").append(recv).append('\n');
      }
      long claimed = Math.round(cap * 0.1 * random.nextDouble());
      sb.append(id)
          .append(' ')
          .append(ts)
          .append(" BG ")
          .append(claimed)
          .append(' ')
          .append(Estimate.maxBg(measured, BG_PERCENT))
          .append('\n');
    }
    sb.append(id).append(' ').append(begin + SECONDS).append(" END\n");
    return 2 + SECONDS * (measurers + 1L);
  }
}
