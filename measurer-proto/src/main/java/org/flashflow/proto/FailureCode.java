package org.flashflow.proto;

import java.util.Optional;

/** Failure codes of docs/protocol.md section 2. Never renumber; new codes are added from 7 up. */
public enum FailureCode {
  LAUNCH_CIRCS(1),
  MALFORMED_TOR_RESP(2),
  M_DUPE_MEAS_ID(3),
  M_UNKNOWN_MEAS_ID(4),
  M_START_ACTIVE_MEAS(5),
  C_START_ACTIVE_MEAS(6),
  /**
   * Added by this implementation: the coordinator ended the measurement (a deadline passed, another
   * participant failed or disconnected, tor refused or ended it, shutdown); {@code extra_info} is
   * {@code <REASON>: <detail>} with the results-log reason.
   */
  C_MEAS_ABORTED(7);

  private final int wireValue;

  FailureCode(int wireValue) {
    this.wireValue = wireValue;
  }

  public int wireValue() {
    return wireValue;
  }

  /** The known code with this wire value, if any. */
  public static Optional<FailureCode> fromWire(int wireValue) {
    for (FailureCode c : values()) {
      if (c.wireValue == wireValue) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
