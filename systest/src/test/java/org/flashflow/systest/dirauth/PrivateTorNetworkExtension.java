package org.flashflow.systest.dirauth;

import org.flashflow.common.testing.ExternalTools;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods the {@link PrivateTorNetwork}, started once per test run: it lives in the root
 * context's store, which JUnit closes (so every tor is stopped) when the whole run ends, whether
 * the tests passed or not. Skips the class where tor or tor-gencert is missing; fails instead when
 * {@code FLASHFLOW_REQUIRE_TOOLS=1} (CI).
 */
final class PrivateTorNetworkExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(PrivateTorNetworkExtension.class);

  static boolean toolsAvailable() {
    return Exec.onPath("tor") && Exec.onPath("tor-gencert");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ExternalTools.require(toolsAvailable(), "tor and tor-gencert (Debian package tor) on PATH");
    network(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PrivateTorNetwork.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return network(context);
  }

  private static PrivateTorNetwork network(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(
            PrivateTorNetwork.class,
            k -> {
              try {
                return PrivateTorNetwork.start();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot start the private Tor network", e);
              }
            },
            PrivateTorNetwork.class);
  }
}
