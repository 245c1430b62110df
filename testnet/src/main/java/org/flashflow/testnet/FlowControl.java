package org.flashflow.testnet;

/**
 * Tor's circuit-level flow control (tor-spec section 7.4, without congestion control): the sender
 * of a circuit may have at most {@code window} cells that the other end has not yet acknowledged;
 * the receiver sends a circuit SENDME for every {@code increment} cells it delivered, and each
 * SENDME lets the sender send {@code increment} more ({@code [network] circuit_window} and {@code
 * sendme_increment}).
 *
 * @param window the circuit package window, in cells (tor: 1000)
 * @param increment cells per SENDME (tor: 100)
 */
public record FlowControl(int window, int increment) {
  /** As tor-spec defines it: a window of 1000 cells and a SENDME every 100. */
  public static final FlowControl TOR = new FlowControl(1000, 100);

  public FlowControl {
    if (increment < 1 || window < increment) {
      throw new IllegalArgumentException(
          "need 1 <= sendme_increment <= circuit_window, not " + increment + " and " + window);
    }
  }

  /**
   * The most one circuit can carry, bytes per second, over a path with this round trip: a window of
   * cells per round trip.
   */
  public double bytesPerSecond(double rttSeconds, int cellSize) {
    return window * (double) cellSize / rttSeconds;
  }
}
