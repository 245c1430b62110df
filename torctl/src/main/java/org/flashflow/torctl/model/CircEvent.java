package org.flashflow.torctl.model;

import java.util.Optional;

/**
 * A {@code 650 CIRC <id> <status> ...} event (control-spec 4.1.1).
 *
 * @param reason the {@code REASON=} value, if any (e.g. {@code TIMEOUT}, {@code FINISHED})
 */
public record CircEvent(long circId, CircStatus status, Optional<String> reason)
    implements TorEvent {

  /** Circuit states of control-spec 4.1.1. */
  public enum CircStatus {
    LAUNCHED,
    BUILT,
    GUARD_WAIT,
    EXTENDED,
    FAILED,
    CLOSED
  }
}
