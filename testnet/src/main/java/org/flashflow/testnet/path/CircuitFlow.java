package org.flashflow.testnet.path;

import org.flashflow.testnet.FlowControl;

/**
 * One end of a circuit's flow control (tor-spec 7.4): as sender, its package window, which each
 * cell sent lowers and each SENDME received raises by the increment; as receiver, the count of
 * cells delivered, which says when to send a SENDME. Not thread-safe: owned by one event loop.
 */
public final class CircuitFlow {
  private final FlowControl settings;
  private int window;
  private int sinceSendme;

  public CircuitFlow(FlowControl settings) {
    this.settings = settings;
    this.window = settings.window();
  }

  /** Cells this end may still send before it must wait for a SENDME. */
  public int window() {
    return window;
  }

  /**
   * {@code cells} sent.
   *
   * @throws IllegalStateException if that is more than the window allows (a bug)
   */
  public void packaged(int cells) {
    if (cells < 0 || cells > window) {
      throw new IllegalStateException(cells + " cells sent with a window of " + window);
    }
    window -= cells;
  }

  /** A SENDME arrived: the other end delivered another increment of our cells. */
  public void sendmeReceived() {
    window += settings.increment();
  }

  /**
   * {@code cells} delivered at this end.
   *
   * @return SENDMEs to send now, one per full increment delivered
   */
  public int delivered(int cells) {
    sinceSendme += cells;
    int sendmes = sinceSendme / settings.increment();
    sinceSendme -= sendmes * settings.increment();
    return sendmes;
  }
}
