package org.flashflow.coord.daemon;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.Coordinator;
import org.flashflow.coord.MeasurementRequest;
import org.flashflow.coord.StartCallback;
import org.flashflow.coord.TorPort;

/** Builds the daemon's {@link ScheduleRunner} from its parts; kept out of the daemon class. */
final class ScheduleWiring {
  /** How often the consensus is read again within a period, for relays that came or went. */
  static final Duration CONSENSUS_REFRESH = Duration.ofMinutes(10);

  private ScheduleWiring() {}

  static ScheduleRunner runner(
      ScheduleConfig config,
      Loop loop,
      Coordinator coordinator,
      TorPort tor,
      V3bwService v3bw,
      Executor io,
      Clock clock) {
    ScheduleRunner.Core core =
        new ScheduleRunner.Core() {
          @Override
          public void startMeasurement(MeasurementRequest request, StartCallback callback) {
            coordinator.startMeasurement(request, callback);
          }

          @Override
          public Set<String> connectedMeasurers() {
            return coordinator.connectedMeasurers();
          }
        };
    return new ScheduleRunner(
        loop,
        config.settings(),
        core,
        new ConsensusRelays(tor, config.filter(), v3bw::latestEstimates),
        new StateFile(
            config.stateFile(), config.settings().period(), config.settings().slot(), clock),
        io,
        new SecureRandom(),
        CONSENSUS_REFRESH);
  }
}
