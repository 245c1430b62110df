package org.flashflow.testnet.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The unit of measurement traffic: a 514-byte cell (tor's link protocol 4+ cell). Its first byte
 * says what it is, with tor's relay command numbers: {@link #DATA} for a measurement cell (the
 * measurer sends them, the relay echoes them), {@link #SENDME} for a circuit-level SENDME (the
 * relay sends one for every {@code sendme_increment} cells it took in; tor-spec 7.4).
 */
public final class Cells {
  public static final int SIZE = 514;

  /** A measurement cell. */
  public static final byte DATA = 2;

  /** A circuit-level SENDME. */
  public static final byte SENDME = 5;

  /** Cells in {@link #dataCells(int)}'s template: one TLS record's worth, about. */
  public static final int BATCH = 32;

  // One pair per thread (each event loop), so that no buffer's internal state is shared.
  private static final ThreadLocal<ByteBuf> DATA_TEMPLATE =
      ThreadLocal.withInitial(() -> template(DATA, BATCH));
  private static final ThreadLocal<ByteBuf> SENDME_TEMPLATE =
      ThreadLocal.withInitial(() -> template(SENDME, 1));

  private Cells() {}

  /**
   * {@code n} (at most {@link #BATCH}) measurement cells, as a read-only view of this thread's
   * buffer that is never freed: writing it costs neither an allocation nor a copy.
   */
  public static ByteBuf dataCells(int n) {
    if (n < 1 || n > BATCH) {
      throw new IllegalArgumentException("1 to " + BATCH + " cells, not " + n);
    }
    return DATA_TEMPLATE.get().slice(0, n * SIZE);
  }

  /** One SENDME cell, as {@link #dataCells(int)}. */
  public static ByteBuf sendme() {
    return SENDME_TEMPLATE.get().slice(0, SIZE);
  }

  private static ByteBuf template(byte command, int cells) {
    ByteBuf b = Unpooled.directBuffer(cells * SIZE);
    for (int i = 0; i < cells; i++) {
      b.writeByte(command);
      b.writeZero(SIZE - 1);
    }
    return Unpooled.unreleasableBuffer(b.asReadOnly());
  }
}
