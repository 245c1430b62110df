package org.flashflow.common.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need something from outside the build (stock tor, openssl, python3-stem, the shared
 * golden samples) skip where it is missing on a developer's machine, but fail in CI: {@code
 * scripts/test} installs them and sets {@code FLASHFLOW_REQUIRE_TOOLS=1}, so a missing tool there
 * is a broken set-up, not a reason to pass.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** Skips the calling test unless {@code available}; fails instead when tools are required. */
  public static void require(boolean available, String what) {
    if (available) {
      return;
    }
    if ("1".equals(System.getenv("FLASHFLOW_REQUIRE_TOOLS"))) {
      fail(what + " is missing, and FLASHFLOW_REQUIRE_TOOLS=1 says it must be there");
    }
    assumeTrue(false, what + " is missing; skipping");
  }
}
