package org.flashflow.bench.accuracy;

import org.flashflow.testnet.RelaySpec;

/** One relay measurement, once it ended, and how far its estimate is from the relay's truth. */
record Measured(RelaySpec spec, long measId, RelayOutcome outcome) {
  /**
   * (estimate - truth) / truth, where the truth is what the relay can really forward: its capacity,
   * or its CPU limit when that is lower.
   */
  double error() {
    return (outcome.estimate() - spec.effectiveCapacity()) / (double) spec.effectiveCapacity();
  }

  /** estimate / truth. */
  double ratio() {
    return outcome.estimate() / (double) spec.effectiveCapacity();
  }
}
