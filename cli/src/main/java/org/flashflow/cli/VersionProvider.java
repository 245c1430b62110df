package org.flashflow.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * Reads the version from the jar manifest, where the shade plugin writes the Maven project version,
 * so that there is one source of truth for it.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "flashflow " + (v == null ? "(development build)" : v),
      "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
    };
  }
}
