package org.flashflow.torctl.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start our own tor when the config names none to attach to.
 *
 * @param torBin {@code [tor] tor_bin}, a name looked up on PATH or a path
 * @param dataDir {@code tor_datadir}; created with mode 0700
 * @param torrcExtraLines {@code [tor] torrc_extra_lines}, appended to the generated torrc
 * @param startTimeout how long tor may take to open its control socket
 */
public record TorLaunchSettings(
    String torBin, Path dataDir, List<String> torrcExtraLines, Duration startTimeout) {

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  public TorLaunchSettings {
    Objects.requireNonNull(torBin, "torBin");
    Objects.requireNonNull(dataDir, "dataDir");
    torrcExtraLines = List.copyOf(torrcExtraLines);
    for (String line : torrcExtraLines) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("torrc line contains a line break: " + line);
      }
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("start timeout must be positive: " + startTimeout);
    }
  }

  public static TorLaunchSettings of(String torBin, Path dataDir, List<String> extraLines) {
    return new TorLaunchSettings(torBin, dataDir, extraLines, DEFAULT_START_TIMEOUT);
  }
}
