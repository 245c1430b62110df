package org.flashflow.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"flashflow " + (v == null ? "(development build)" : v)};
  }
}
