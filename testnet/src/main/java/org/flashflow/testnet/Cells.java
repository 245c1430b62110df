package org.flashflow.testnet;

import io.netty.buffer.ByteBuf;

/**
 * The unit of measurement traffic: a 514-byte cell (tor's link protocol 4+ cell). As in tor, all
 * circuits between a measurer and a relay share one channel (TLS connection), so a cell names its
 * circuit. Layout: byte 0 the command, with tor's relay command numbers ({@link #DATA} for a
 * measurement cell, which the measurer sends and the relay echoes; {@link #SENDME} for a circuit
 * SENDME, which the relay sends for every {@code sendme_increment} cells it took in on a circuit,
 * tor-spec 7.4); bytes 1-4 the circuit's index in its measurement (0 to n_circs - 1); zeros after.
 */
public final class Cells {
  public static final int SIZE = 514;

  /** Command and circuit index. */
  public static final int HEADER = 5;

  /** A measurement cell. */
  public static final byte DATA = 2;

  /** A circuit-level SENDME. */
  public static final byte SENDME = 5;

  /** Circuit indexes a channel may use: MEASR_START_MEAS allows at most 10,000 circuits. */
  public static final int MAX_CIRCUITS = 1 << 16;

  private Cells() {}

  /** Appends one cell. */
  public static void write(ByteBuf out, byte command, int circuit) {
    out.writeByte(command);
    out.writeInt(circuit);
    out.writeZero(SIZE - HEADER);
  }

  /** The command of the cell that starts at {@code index}. */
  public static byte command(ByteBuf b, int index) {
    return b.getByte(index);
  }

  /** The circuit of the cell that starts at {@code index}. */
  public static int circuit(ByteBuf b, int index) {
    return b.getInt(index + 1);
  }
}
