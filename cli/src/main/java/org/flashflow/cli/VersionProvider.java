package org.flashflow.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * Reads the version from the jar manifest, where the shade plugin writes the Maven project version,
 * so that there is one source of truth for it.
 */
final class VersionProvider implements IVersionProvider {
  /** The version string written into bandwidth files and logs, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "flashflow " + version(), "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
    };
  }
}
