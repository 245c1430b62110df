package org.flashflow.coord.core;

/**
 * Where finished measurements go (the results log). Writing is slow I/O, so the core only hands the
 * record over; it forgets the measurement once the record is durable, so that a crash never loses a
 * measurement the coordinator already treated as done.
 */
public interface ResultsSink {
  /**
   * Appends {@code record}, flushes and fsyncs it off the loop, then runs {@code onDurable} on the
   * loop. Called on the loop, exactly once per measurement.
   */
  void write(MeasurementRecord record, Runnable onDurable);
}
