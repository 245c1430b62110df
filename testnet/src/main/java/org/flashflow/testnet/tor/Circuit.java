package org.flashflow.testnet.tor;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.flashflow.testnet.RelayEntry;

/**
 * A one-hop circuit to a relay and its CIRC events, worded as stock tor's (see {@code
 * samples/stock-tor/circ-events.txt}). Immutable; its state lives with its owner.
 */
record Circuit(long id, RelayEntry relay, Instant created) {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  String launched() {
    return "650 CIRC " + id + " LAUNCHED " + tail();
  }

  String extended() {
    return "650 CIRC " + id + " EXTENDED " + path() + " " + tail();
  }

  String built() {
    return "650 CIRC " + id + " BUILT " + path() + " " + tail();
  }

  /** A circuit that never got its hop has no path, as in stock tor. */
  String failed(String reason) {
    return "650 CIRC " + id + " FAILED " + tail() + " REASON=" + reason;
  }

  String closed(String reason) {
    return "650 CIRC " + id + " CLOSED " + path() + " " + tail() + " REASON=" + reason;
  }

  private String path() {
    return "$" + relay.fingerprint() + "~" + relay.nickname();
  }

  private String tail() {
    return "PURPOSE=GENERAL TIME_CREATED=" + TIME.format(created);
  }
}
