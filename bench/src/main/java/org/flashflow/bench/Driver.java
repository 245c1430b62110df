package org.flashflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.core.MeasurementObserver;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.MeasurementRequest.Assignment;
import org.flashflow.coord.core.StartCallback;

/**
 * Keeps {@code M} measurements running: starts them through the real {@link
 * Coordinator#startMeasurement} and starts the next as soon as the coordinator reports one ended
 * (after its record is durable). Each measurement gets its own relay fingerprint and the next
 * {@code perMeas} measurers round-robin. Runs on the coordinator's loop.
 */
final class Driver implements MeasurementObserver {
  private static final int SHOWN_FAILURES = 5;
  private static final Duration RETRY = Duration.ofMillis(10);

  private final Loop loop;
  private final List<String> measurers;
  private final int perMeas;
  private final int numCircs;
  private Coordinator coordinator;
  private boolean running;
  private boolean starting;
  private int next;
  private long fpCounter;
  private long completed;
  private long failed;
  private long refused;
  private final List<String> failures = new ArrayList<>();

  Driver(Loop loop, List<String> measurers, int perMeas, int numCircs) {
    this.loop = loop;
    this.measurers = List.copyOf(measurers);
    this.perMeas = perMeas;
    this.numCircs = numCircs;
  }

  void setCoordinator(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  void start(int concurrent) {
    loop.checkInLoop();
    running = true;
    for (int i = 0; i < concurrent; i++) {
      startOne();
    }
  }

  /** Starts nothing more; running measurements finish. */
  void stop() {
    running = false;
  }

  long completed() {
    return completed;
  }

  long failed() {
    return failed;
  }

  long refused() {
    return refused;
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  private void startOne() {
    if (!running) {
      return;
    }
    List<Assignment> as = new ArrayList<>();
    for (int i = 0; i < perMeas; i++) {
      String name = measurers.get(next);
      next = (next + 1) % measurers.size();
      as.add(new Assignment(name, Math.max(1, numCircs / perMeas), OptionalLong.empty()));
    }
    String fp = String.format(Locale.ROOT, "%040X", ++fpCounter);
    starting = true;
    try {
      coordinator.startMeasurement(new MeasurementRequest(fp, as), new Callback());
    } finally {
      starting = false;
    }
  }

  @Override
  public void measurementEnded(MeasurementRecord record, OptionalDouble estimate) {
    if (record.completed()) {
      completed++;
    } else {
      failed++;
      if (failures.size() < SHOWN_FAILURES) {
        failures.add(record.failure().map(String::valueOf).orElse("?"));
      }
    }
    startOne();
  }

  private final class Callback implements StartCallback {
    @Override
    public void started(long measId, String relayFp) {}

    @Override
    public void refused(String reason) {
      // A refusal while startMeasurement runs means no measurement exists: try again shortly. A
      // later one belongs to a measurement that failed and is reported ended anyway.
      if (starting) {
        refused++;
        if (failures.size() < SHOWN_FAILURES) {
          failures.add("refused: " + reason);
        }
        loop.schedule(RETRY, Driver.this::startOne);
      }
    }
  }
}
