package org.flashflow.coord.core;

import java.util.ArrayList;
import java.util.List;
import org.flashflow.common.loop.Loop;

/**
 * Records written records; the test decides when each becomes durable, to check that the core keeps
 * a measurement until then. With {@link #autoDurable}, a record becomes durable in a later loop
 * task, as with the real file thread.
 */
final class FakeResultsSink implements ResultsSink {
  record Write(MeasurementRecord record, Runnable onDurable) {}

  private final Loop loop;
  final List<Write> writes = new ArrayList<>();
  boolean autoDurable = true;

  FakeResultsSink(Loop loop) {
    this.loop = loop;
  }

  @Override
  public void write(MeasurementRecord record, Runnable onDurable) {
    writes.add(new Write(record, onDurable));
    if (autoDurable) {
      loop.execute(onDurable);
    }
  }

  List<MeasurementRecord> records() {
    return writes.stream().map(Write::record).toList();
  }
}
