package org.flashflow.coord;

import java.util.Objects;

/**
 * Why a tor command did not succeed. The kinds are kept apart because they end a measurement with
 * different results-log reasons (TOR_ERROR, TOR_TIMEOUT, TOR_LOST).
 *
 * @param detail for {@link Kind#ERROR} tor's error reply (e.g. {@code 552 Unknown relay}); else a
 *     short explanation for the operator
 */
public record TorFailure(Kind kind, String detail) {
  public TorFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** What went wrong with one command. */
  public enum Kind {
    /** tor answered with an error reply. */
    ERROR,
    /** tor did not answer within the adapter's command timeout. */
    TIMEOUT,
    /** The control connection was lost before tor answered. */
    LOST
  }

  public static TorFailure error(String torReply) {
    return new TorFailure(Kind.ERROR, torReply);
  }

  public static TorFailure timeout(String detail) {
    return new TorFailure(Kind.TIMEOUT, detail);
  }

  public static TorFailure lost(String detail) {
    return new TorFailure(Kind.LOST, detail);
  }

  @Override
  public String toString() {
    return kind + ": " + detail;
  }
}
