package org.flashflow.torctl.model;

import java.util.Objects;

/**
 * Why a tor command failed, in the terms the core needs to pick a failure code: the adapter maps
 * torctl's exceptions onto these kinds, so the core never sees an exception type.
 *
 * @param detail for the log and for a Failure's {@code extra_info}; for {@link Kind#ERROR} tor's
 *     own reply line where there is one
 */
public record TorFailure(Kind kind, String detail) {
  /** The kinds of failure that call for different handling. */
  public enum Kind {
    /** tor answered with an error reply. */
    ERROR,
    /** tor answered with success, but in a form we cannot read (MALFORMED_TOR_RESP). */
    MALFORMED,
    /** tor did not answer in time; the connection is being dropped. */
    TIMEOUT,
    /** There is no connection to tor (any more). */
    LOST
  }

  public TorFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  public static TorFailure error(String detail) {
    return new TorFailure(Kind.ERROR, detail);
  }

  public static TorFailure malformed(String detail) {
    return new TorFailure(Kind.MALFORMED, detail);
  }

  public static TorFailure timeout(String detail) {
    return new TorFailure(Kind.TIMEOUT, detail);
  }

  public static TorFailure lost(String detail) {
    return new TorFailure(Kind.LOST, detail);
  }

  /** Maps torctl's exceptions (as a {@link TorSession.Completion} hands them over) to a kind. */
  public static TorFailure of(Throwable e) {
    if (e instanceof MalformedTorReplyException) {
      return malformed(e.getMessage());
    }
    if (e instanceof TorTimeoutException) {
      return timeout(e.getMessage());
    }
    if (e instanceof TorConnectionLostException) {
      return lost(e.getMessage());
    }
    if (e instanceof TorControlException tce) {
      return error(tce.torReply().orElse(e.getMessage()));
    }
    return error(String.valueOf(e.getMessage()));
  }

  @Override
  public String toString() {
    return kind + ": " + detail;
  }
}
