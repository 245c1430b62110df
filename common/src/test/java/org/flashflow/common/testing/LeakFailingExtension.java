package org.flashflow.common.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if Netty reported a leaked buffer while it ran or once it ended: after the
 * class, garbage is collected and every leak Netty then reports fails the class, with the leak's
 * access records (the build runs tests with {@code io.netty.leakDetection.level=paranoid}, so every
 * buffer is tracked). Registered for all tests of every module with common's test jar on its test
 * class path (META-INF/services, and {@code junit.jupiter.extensions.autodetection.enabled} in the
 * root pom). A leak found after a class ended is most likely that class's, but could be an earlier
 * one's whose buffer was held longer.
 */
public final class LeakFailingExtension implements AfterAllCallback {
  static {
    // Autodetected extensions are created when the engine starts, before any test class runs and
    // so before Netty's buffer classes create their leak detectors.
    NettyLeaks.install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = NettyLeaks.collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size()
              + " Netty buffer leak(s) reported after "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }
}
