package org.flashflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.flashflow.coord.core.Estimate;
import org.flashflow.coord.core.FailReason;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * How the demo's measurement of one relay ended, and the table that shows them all. Pure.
 *
 * @param estimate bytes/s, for a measurement that completed
 * @param failure the results log's FAIL reason, for one that failed
 * @param problem why there is neither (the coordinator refused the command, no record came), else
 *     empty
 */
record DemoOutcome(
    DemoRelay relay,
    Optional<Double> estimate,
    Optional<FailReason> failure,
    String problem,
    Optional<DemoCarried> carried) {

  DemoOutcome {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(carried, "carried");
  }

  DemoOutcome(
      DemoRelay relay, Optional<Double> estimate, Optional<FailReason> failure, String problem) {
    this(relay, estimate, failure, problem, Optional.empty());
  }

  /** This outcome with what the emulated relay says it carried. */
  DemoOutcome withCarried(Optional<DemoCarried> c) {
    return new DemoOutcome(relay, estimate, failure, problem, c);
  }

  /** The outcome a results-log record describes. */
  static DemoOutcome of(DemoRelay relay, MeasurementRecord record) {
    if (record.completed()) {
      return new DemoOutcome(relay, Optional.of(Estimate.estimate(record)), Optional.empty(), "");
    }
    return new DemoOutcome(
        relay, Optional.empty(), record.failure().map(MeasurementRecord.Failed::reason), "");
  }

  /** A relay the demo could not get a record for. */
  static DemoOutcome problem(DemoRelay relay, String why) {
    return new DemoOutcome(relay, Optional.empty(), Optional.empty(), why);
  }

  boolean asExpected(double r) {
    return relay.asExpected(estimate, failure, r, carried);
  }

  /**
   * For an honest relay that is as expected only against what a starved emulator carried: a note
   * saying so; else empty.
   */
  String starvedNote(double r) {
    if (carried.isEmpty()
        || !carried.get().starved()
        || relay.asExpected(estimate, failure, r, Optional.empty())
        || !asExpected(r)) {
      return "";
    }
    DemoCarried c = carried.get();
    return String.format(
        Locale.ROOT,
        " (the busy machine's emulator stalled %.0f%% of the time and carried %s Mbit/s; within"
            + " %.0f%% of that)",
        c.stalledPercent(),
        mbits(c.median()),
        DemoCarried.STARVED_TOLERANCE * 100);
  }

  /** {@code ok}, {@code FAIL <REASON>}, or the problem. */
  String outcome() {
    if (estimate.isPresent()) {
      return "ok";
    }
    return failure.map(f -> "FAIL " + f).orElse(problem);
  }

  /** The progress line's summary: the estimate or the outcome. */
  String shortText() {
    return estimate.map(e -> mbits(e) + " Mbit/s").orElse(outcome());
  }

  /** The result table, one line per relay, and a last line saying whether all were expected. */
  static List<String> table(List<DemoOutcome> outcomes, double r) {
    String format = "%-8s %-9s %11s %6s %15s %7s  %-20s %s";
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            format,
            "relay",
            "behaviour",
            "true Mbit/s",
            "rtt ms",
            "estimate Mbit/s",
            "error",
            "outcome",
            "expected"));
    for (DemoOutcome o : outcomes) {
      DemoRelay relay = o.relay();
      String error =
          o.estimate()
              .map(
                  e ->
                      String.format(
                          Locale.ROOT,
                          "%+.1f%%",
                          percent(e - relay.capacity(), (double) relay.capacity())))
              .orElse("-");
      lines.add(
          String.format(
                  Locale.ROOT,
                  format,
                  relay.nick(),
                  relay.behaviour().configName(),
                  String.format(Locale.ROOT, "%.2f", relay.mbits()),
                  relay.rttMs(),
                  o.estimate().map(DemoOutcome::mbits).orElse("-"),
                  error,
                  o.outcome(),
                  relay.expectation(r) + (o.asExpected(r) ? ": yes" : ": NO") + o.starvedNote(r))
              .stripTrailing());
    }
    long bad = outcomes.stream().filter(o -> !o.asExpected(r)).count();
    lines.add(
        bad == 0
            ? "Every relay ended as expected for its behaviour."
            : bad + " of " + outcomes.size() + " relays did NOT end as expected (marked NO).");
    return lines;
  }

  /**
   * What the round trips mean for {@code numCircs} circuits: the slowest path's limit per circuit
   * and for all of them, against the largest relay.
   */
  static String roundTripNote(List<DemoRelay> relays, int numCircs) {
    DemoRelay far =
        relays.stream().max(java.util.Comparator.comparingInt(DemoRelay::rttMs)).orElseThrow();
    double largest = relays.stream().mapToDouble(DemoRelay::mbits).max().orElse(0);
    if (far.rttMs() == 0) {
      return "No round trips: the circuits' windows do not limit the measurements.";
    }
    double one = far.oneCircuitMbits();
    return String.format(
        Locale.ROOT,
        "Round trips: a circuit carries at most tor's window of %d cells (514 kB) per round trip,"
            + " %.1f Mbit/s at %d ms; the %d circuits of a measurement carry up to %.0f Mbit/s"
            + " there, %s the largest relay (%.0f Mbit/s).",
        DemoRelay.WINDOW_CELLS,
        one,
        far.rttMs(),
        numCircs,
        one * numCircs,
        one * numCircs >= largest ? "enough for" : "NOT enough for",
        largest);
  }

  /** 100 * part / whole to one decimal, never "-0.0". */
  private static double percent(double part, double whole) {
    return Math.round(1000 * part / whole) / 10.0 + 0.0;
  }

  private static String mbits(double bytesPerSecond) {
    return String.format(Locale.ROOT, "%.2f", bytesPerSecond * 8 / 1e6);
  }
}
