package org.flashflow.coord.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flashflow.coord.core.MeasurementRecord.Second;

/**
 * The per-second reports of one measurement, indexed by position (docs/protocol.md section 5:
 * clocks differ between hosts, so the i-th report of each source belongs together). Reports beyond
 * {@code dur} are refused, so a chatty source cannot shift positions.
 */
final class Reports {
  private final int dur;
  private final List<Long> bgSent = new ArrayList<>();
  private final List<Long> bgRecv = new ArrayList<>();
  private final Map<String, List<Long>> recv = new LinkedHashMap<>();

  /** {@code measurers} in assignment order, which is the order of the results log's MEASR lines. */
  Reports(int dur, List<String> measurers) {
    this.dur = dur;
    for (String name : measurers) {
      recv.put(name, new ArrayList<>());
    }
  }

  /**
   * Adds one background report of the relay.
   *
   * @return false if {@code dur} background reports were already in
   */
  boolean addBackground(long sent, long received) {
    if (bgSent.size() >= dur) {
      return false;
    }
    bgSent.add(sent);
    bgRecv.add(received);
    return true;
  }

  /** Adds one report of {@code measurer}; false if {@code dur} of them were already in. */
  boolean addMeasurer(String measurer, long received) {
    List<Long> list = recv.get(measurer);
    if (list.size() >= dur) {
      return false;
    }
    list.add(received);
    return true;
  }

  int backgroundCount() {
    return bgSent.size();
  }

  int measurerCount(String measurer) {
    return recv.get(measurer).size();
  }

  boolean backgroundDone() {
    return bgSent.size() >= dur;
  }

  boolean measurerDone(String measurer) {
    return measurerCount(measurer) >= dur;
  }

  boolean complete() {
    return backgroundDone() && recv.keySet().stream().allMatch(this::measurerDone);
  }

  /** Positions for which every source has reported. */
  int secondsDone() {
    int n = bgSent.size();
    for (List<Long> list : recv.values()) {
      n = Math.min(n, list.size());
    }
    return n;
  }

  /** Who has sent how much, for a timeout message: {@code background 29/30, bob 12/30}. */
  String progress() {
    StringBuilder sb =
        new StringBuilder("background ").append(bgSent.size()).append('/').append(dur);
    recv.forEach(
        (name, list) ->
            sb.append(", ").append(name).append(' ').append(list.size()).append('/').append(dur));
    return sb.toString();
  }

  /**
   * The seconds of a complete measurement, each with the relay's claim ({@code min(sent, recv)}: it
   * could inflate either number alone) and its cap for background share {@code r}.
   */
  List<Second> seconds(double r) {
    List<Second> out = new ArrayList<>(dur);
    for (int i = 0; i < dur; i++) {
      List<Long> perMeasurer = new ArrayList<>(recv.size());
      for (List<Long> list : recv.values()) {
        perMeasurer.add(list.get(i));
      }
      out.add(Estimate.second(perMeasurer, bgSent.get(i), bgRecv.get(i), r));
    }
    return out;
  }

  /**
   * {@code ; background capped N->M bytes/s in K of 30 s}, averaged over the capped seconds (in
   * double, since a lying relay's claims may be near {@code Long.MAX_VALUE}); empty if none was.
   */
  static String cappingNote(List<Second> seconds) {
    double claimed = 0;
    double allowed = 0;
    int capped = 0;
    for (Second s : seconds) {
      if (s.claimedBg() > s.maxBg()) {
        claimed += s.claimedBg();
        allowed += s.maxBg();
        capped++;
      }
    }
    if (capped == 0) {
      return "";
    }
    return "; background capped "
        + (long) (claimed / capped)
        + "->"
        + (long) (allowed / capped)
        + " bytes/s in "
        + capped
        + " of "
        + seconds.size()
        + " s";
  }
}
