package org.flashflow.coord.v3bw;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.flashflow.common.loop.Cancellable;
import org.flashflow.common.loop.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a bandwidth file every {@code [v3bw] interval}, at multiples of the interval since the
 * Unix epoch (on the hour for 1 hour), so that restarts do not postpone the next file. The timer is
 * recomputed from the clock each time it fires. On the loop.
 */
public final class V3bwTimer {
  private static final Logger log = LoggerFactory.getLogger(V3bwTimer.class);

  private final Loop loop;
  private final V3bwTrigger trigger;
  private final Duration interval;
  private Cancellable next;
  private boolean stopped;

  public V3bwTimer(Loop loop, V3bwTrigger trigger, Duration interval) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("interval must be at least 1 s, not " + interval);
    }
  }

  public void start() {
    loop.checkInLoop();
    arm();
  }

  public void stop() {
    loop.checkInLoop();
    stopped = true;
    if (next != null) {
      next.cancel();
    }
  }

  /** The first multiple of the interval after {@code now}. */
  static Instant nextAfter(Instant now, Duration interval) {
    long ms = interval.toMillis();
    long t = now.toEpochMilli();
    return Instant.ofEpochMilli(Math.addExact(Math.floorDiv(t, ms) * ms, ms));
  }

  private void arm() {
    if (stopped) {
      return;
    }
    Instant now = loop.now();
    next = loop.schedule(Duration.between(now, nextAfter(now, interval)), this::fire);
  }

  private void fire() {
    if (stopped) {
      return;
    }
    trigger.writeNow(
        result -> {
          if (result instanceof V3bwTrigger.Written w) {
            log.info("bandwidth file written: {}", w.path());
          } else if (result instanceof V3bwTrigger.NotWritten n) {
            log.warn("no bandwidth file written: {}", n.why());
          }
        });
    arm();
  }
}
