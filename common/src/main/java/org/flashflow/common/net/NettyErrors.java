package org.flashflow.common.net;

import io.netty.handler.codec.DecoderException;

/** Turns Netty's exceptions into the short text a log line about a peer needs. */
public final class NettyErrors {
  /** Longest detail kept: some messages (NotSslRecordException's) dump the peer's bytes. */
  static final int MAX_DETAIL = 200;

  private NettyErrors() {}

  /** The useful part of a cause: Netty wraps the TLS engine's exceptions in DecoderException. */
  public static String describe(Throwable cause) {
    Throwable t = cause;
    while (t instanceof DecoderException
        && t.getCause() != null
        && t.getMessage() != null
        && t.getMessage().equals(t.getCause().toString())) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    if (msg == null) {
      return t.getClass().getSimpleName();
    }
    return msg.length() <= MAX_DETAIL ? msg : msg.substring(0, MAX_DETAIL) + "...";
  }
}
