package org.flashflow.measurer;

import java.time.Duration;
import java.util.Objects;

/**
 * The measurer core's deadlines. Every phase of a measurement has one, so that a coordinator or a
 * tor that goes quiet never leaves a measurement behind.
 *
 * @param circBuildTimeout how long circuits may take to build ({@code [measurer]
 *     circ_build_timeout}); then the measurer decides with what it has. Below the coordinator's
 *     setup_timeout, so that the coordinator hears the answer before it gives up on this measurer
 * @param goTimeout how long to wait for Go after ConnectedToRelay; the coordinator's own setup
 *     deadline is shorter, so this only catches a coordinator that forgot us
 * @param activeSlack added to {@code dur} for the active phase; tor's END normally comes first
 */
public record MeasurerSettings(
    Duration circBuildTimeout, Duration goTimeout, Duration activeSlack) {
  /** Default {@link #goTimeout}: twice the coordinator's default setup deadline. */
  public static final Duration DEFAULT_GO_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link #activeSlack}: as the coordinator's, so both give up at about the same time. */
  public static final Duration DEFAULT_ACTIVE_SLACK = Duration.ofSeconds(15);

  public MeasurerSettings {
    positive(circBuildTimeout, "circBuildTimeout");
    positive(goTimeout, "goTimeout");
    Objects.requireNonNull(activeSlack, "activeSlack");
    if (activeSlack.isNegative()) {
      throw new IllegalArgumentException("activeSlack must not be negative: " + activeSlack);
    }
  }

  /** The given circuit-build deadline with the default Go and active-phase deadlines. */
  public static MeasurerSettings of(Duration circBuildTimeout) {
    return new MeasurerSettings(circBuildTimeout, DEFAULT_GO_TIMEOUT, DEFAULT_ACTIVE_SLACK);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
