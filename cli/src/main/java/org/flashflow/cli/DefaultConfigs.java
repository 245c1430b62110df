package org.flashflow.cli;

/**
 * Where the Debian package installs the config files (docs/operations.md): the default of every
 * {@code -c}, so that an installed {@code flashflow coord} or {@code flashflow ctrl status} needs
 * no option. A checkout's scripts and tests always pass {@code -c}.
 */
final class DefaultConfigs {
  static final String COORD = "/etc/flashflow/coord.ini";
  static final String MEASURER = "/etc/flashflow/measurer.ini";

  private DefaultConfigs() {}
}
