package org.flashflow.measurer.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.flashflow.measurer.TorFailure;
import org.flashflow.measurer.TorState;
import org.flashflow.torctl.MalformedTorReplyException;
import org.flashflow.torctl.TorConnectionLostException;
import org.flashflow.torctl.TorControlException;
import org.flashflow.torctl.TorSession;
import org.flashflow.torctl.TorTimeoutException;
import org.junit.jupiter.api.Test;

/** torctl's exceptions and states as the core sees them; the kind decides the Failure code. */
class MeasurerTorTest {
  @Test
  void exceptionsMapToKinds() {
    assertEquals(
        TorFailure.malformed("no CIRCS="),
        MeasurerTor.failure(new MalformedTorReplyException("no CIRCS=")));
    assertEquals(TorFailure.timeout("slow"), MeasurerTor.failure(new TorTimeoutException("slow")));
    assertEquals(
        TorFailure.lost("gone"), MeasurerTor.failure(new TorConnectionLostException("gone", null)));
    assertEquals(
        TorFailure.error("552 Unrecognized event \"FF_MEAS\""),
        MeasurerTor.failure(
            new TorControlException(
                "tor said no", 552, "552 Unrecognized event \"FF_MEAS\"", null)));
    assertEquals(
        TorFailure.error("no reply line"),
        MeasurerTor.failure(new TorControlException("no reply line")));
    assertEquals(TorFailure.error("boom"), MeasurerTor.failure(new IllegalStateException("boom")));
  }

  @Test
  void everySessionStateHasACoreState() {
    for (TorSession.State s : TorSession.State.values()) {
      assertEquals(s.name(), MeasurerTor.coreState(s).name());
    }
    assertEquals(TorState.values().length, TorSession.State.values().length);
  }
}
