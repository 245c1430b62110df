package org.flashflow.coord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.flashflow.coord.results.MeasurementRecord.Second;

/**
 * The per-second reports of one measurement, indexed by position (protocol.md section 5: clocks
 * differ between hosts, so the i-th report of each source belongs together), and the estimate they
 * give. Reports beyond {@code dur} are refused, so a chatty source cannot shift positions.
 */
final class Reports {
  private final int dur;
  private final List<Long> bgClaimed = new ArrayList<>();
  private final Map<String, List<Long>> recv = new LinkedHashMap<>();

  /**
   * @param measurers in assignment order, which is the order of the results log's MEASR lines
   */
  Reports(int dur, List<String> measurers) {
    this.dur = dur;
    for (String name : measurers) {
      recv.put(name, new ArrayList<>());
    }
  }

  /**
   * Adds one background report of the relay; the relay's claim is the smaller of the two numbers
   * because it could inflate either one alone.
   *
   * @return false if {@code dur} background reports were already in
   */
  boolean addBackground(long sent, long received) {
    if (bgClaimed.size() >= dur) {
      return false;
    }
    bgClaimed.add(Math.min(sent, received));
    return true;
  }

  /**
   * @return false if {@code dur} reports from {@code measurer} were already in
   */
  boolean addMeasurer(String measurer, long received) {
    List<Long> list = recv.get(measurer);
    if (list.size() >= dur) {
      return false;
    }
    list.add(received);
    return true;
  }

  int backgroundCount() {
    return bgClaimed.size();
  }

  int measurerCount(String measurer) {
    return recv.get(measurer).size();
  }

  boolean backgroundDone() {
    return bgClaimed.size() >= dur;
  }

  boolean measurerDone(String measurer) {
    return measurerCount(measurer) >= dur;
  }

  boolean complete() {
    return backgroundDone() && recv.keySet().stream().allMatch(this::measurerDone);
  }

  /** Positions for which every source has reported. */
  int secondsDone() {
    int n = bgClaimed.size();
    for (List<Long> list : recv.values()) {
      n = Math.min(n, list.size());
    }
    return n;
  }

  /** Who has sent how much, for a timeout message: {@code background 29/30, bob 12/30}. */
  String progress() {
    StringBuilder sb =
        new StringBuilder("background ").append(bgClaimed.size()).append('/').append(dur);
    recv.forEach(
        (name, list) ->
            sb.append(", ").append(name).append(' ').append(list.size()).append('/').append(dur));
    return sb.toString();
  }

  /** The seconds of a complete measurement, each with its background cap for share {@code r}. */
  List<Second> seconds(double r) {
    List<Second> out = new ArrayList<>(dur);
    for (int i = 0; i < dur; i++) {
      List<Long> perMeasurer = new ArrayList<>(recv.size());
      long measured = 0;
      for (List<Long> list : recv.values()) {
        perMeasurer.add(list.get(i));
        measured += list.get(i);
      }
      out.add(new Second(perMeasurer, bgClaimed.get(i), maxBackground(r, measured)));
    }
    return out;
  }

  /** {@code floor(r * measured / (1 - r))}: the most background traffic we believe. */
  static long maxBackground(double r, long measured) {
    return (long) Math.floor(r * measured / (1 - r));
  }

  /**
   * The median of {@code total_i = measured_i + min(claimed_i, max_bg_i)}; the mean of the middle
   * two for an even count. TODO: switch to {@code coord.results.Estimate} once it exists, so the
   * core and the v3bw writer cannot disagree.
   */
  static OptionalDouble estimate(List<Second> seconds) {
    if (seconds.isEmpty()) {
      return OptionalDouble.empty();
    }
    long[] totals =
        seconds.stream()
            .mapToLong(
                s ->
                    s.measurerRecv().stream().mapToLong(Long::longValue).sum()
                        + Math.min(s.claimedBg(), s.maxBg()))
            .sorted()
            .toArray();
    int n = totals.length;
    if (n % 2 == 1) {
      return OptionalDouble.of(totals[n / 2]);
    }
    return OptionalDouble.of((totals[n / 2 - 1] + (double) totals[n / 2]) / 2);
  }
}
