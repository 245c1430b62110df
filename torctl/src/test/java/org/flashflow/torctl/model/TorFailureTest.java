package org.flashflow.torctl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** torctl's exceptions as the cores see them; the kind decides the FAIL reason or Failure code. */
class TorFailureTest {
  @Test
  void exceptionsMapToKinds() {
    assertEquals(
        TorFailure.malformed("no CIRCS="),
        TorFailure.of(new MalformedTorReplyException("no CIRCS=")));
    assertEquals(TorFailure.timeout("slow"), TorFailure.of(new TorTimeoutException("slow")));
    assertEquals(
        TorFailure.lost("gone"), TorFailure.of(new TorConnectionLostException("gone", null)));
    assertEquals(
        TorFailure.error("552 Unrecognized event \"FF_MEAS\""),
        TorFailure.of(
            new TorControlException(
                "tor said no", 552, "552 Unrecognized event \"FF_MEAS\"", null)));
    assertEquals(
        TorFailure.error("no reply line"), TorFailure.of(new TorControlException("no reply line")));
    assertEquals(TorFailure.error("boom"), TorFailure.of(new IllegalStateException("boom")));
  }
}
