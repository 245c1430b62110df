package org.flashflow.coord.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.flashflow.torctl.model.TorState;

/**
 * Where the coordinator's parts record what an operator graphs (docs/operations.md, "Metrics"). A
 * port, so that the core knows no metrics library: the daemon plugs in the Prometheus adapter,
 * tests and benchmarks {@link #NONE}.
 *
 * <p>Every method is called on the loop except {@link #resultsLogWritten} (the results-io thread);
 * an implementation must be cheap and must not call back into the caller. All methods default to
 * doing nothing.
 */
public interface CoordMetrics {
  /** Records nothing. */
  CoordMetrics NONE = new CoordMetrics() {};

  /** {@code name} is connected now (a replaced connection is still connected). */
  default void measurerConnected(String name) {}

  /** {@code name} is no longer connected (disconnected, or dropped as unresponsive). */
  default void measurerDisconnected(String name) {}

  /** The coordinator's tor connection is now {@code state}. */
  default void torState(TorState state) {}

  /** A measurement was begun (tor is asked for its circuit). */
  default void measurementStarted() {}

  /**
   * A measurement ended.
   *
   * @param estimate bytes/s of a completed measurement; empty for a failed one
   */
  default void measurementEnded(MeasurementRecord record, OptionalDouble estimate) {}

  /**
   * A report arrived in the active phase.
   *
   * @param background tor's background report (else a measurer's)
   * @param sincePrevious since the same source's previous report in this measurement (the first:
   *     since Go); {@code report_timeout} fails the measurement when this grows too long
   */
  default void reportReceived(boolean background, Duration sincePrevious, Instant at) {}

  /**
   * One measurement's lines are durable in the results log. Called on the results-io thread.
   *
   * @param writeNanos the append
   * @param fsyncNanos the fsync after it
   */
  default void resultsLogWritten(long writeNanos, long fsyncNanos) {}

  /** A bandwidth file was written at {@code at} with {@code relays} measured relays. */
  default void bandwidthFileWritten(Instant at, int relays) {}

  /**
   * The schedule's progress through its period.
   *
   * @param measured relays measured this period
   * @param pending relays still to measure this period (running included)
   * @param failed relays given up on this period
   * @param slotsBehind slots whose start passed while relays planned in them have not started
   */
  default void scheduleProgress(int measured, int pending, int failed, int slotsBehind) {}

  /**
   * Whether the schedule is stalled (docs/operations.md, "Stall alarm").
   *
   * @param reason the short reason label while stalled; empty when it is not
   */
  default void scheduleStalled(Optional<String> reason) {}
}
