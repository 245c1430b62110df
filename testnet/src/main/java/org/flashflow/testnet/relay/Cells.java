package org.flashflow.testnet.relay;

/**
 * The unit of measurement traffic: a 514-byte cell (tor's link protocol 4+ cell). The first 8 bytes
 * carry the sender's sequence number on that connection, so that a measurer learns from any echoed
 * cell how many of its earlier cells are no longer in flight, even when a relay drops some.
 */
public final class Cells {
  public static final int SIZE = 514;

  private Cells() {}
}
