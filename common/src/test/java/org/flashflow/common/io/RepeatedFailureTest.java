package org.flashflow.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedFailureTest {
  private static final long S = 1_000_000_000L;

  @Test
  void theErrorAtMostOncePerIntervalAndAgainAtOnceAfterASuccess() {
    RepeatedFailure f =
        new RepeatedFailure(
            LoggerFactory.getLogger(RepeatedFailureTest.class), "writing x", Duration.ofMinutes(1));
    assertTrue(f.failed(0, "ENOSPC"), "the first failure");
    assertFalse(f.failed(30 * S, "ENOSPC"));
    assertFalse(f.failed(59 * S, "ENOSPC"));
    assertTrue(f.failed(60 * S, "ENOSPC"), "a minute after the last ERROR");
    assertFalse(f.failed(61 * S, "ENOSPC"));
    assertTrue(f.failing());
    f.succeeded();
    assertFalse(f.failing());
    assertTrue(f.failed(62 * S, "ENOSPC"), "a new run of failures logs at once");
    assertEquals(3, f.errorsLogged());
  }
}
