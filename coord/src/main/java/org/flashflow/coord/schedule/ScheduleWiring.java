package org.flashflow.coord.schedule;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.core.MeasurementRequest;
import org.flashflow.coord.core.StartCallback;
import org.flashflow.coord.core.TorPort;
import org.flashflow.coord.v3bw.V3bwService;

/** Builds the daemon's {@link ScheduleRunner} from its parts; kept out of the daemon class. */
public final class ScheduleWiring {
  private ScheduleWiring() {}

  public static ScheduleRunner runner(
      ScheduleConfig config,
      Loop loop,
      Coordinator coordinator,
      TorPort tor,
      V3bwService v3bw,
      Executor io,
      Clock clock,
      CoordMetrics metrics,
      Path resultsLog) {
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

          @Override
          public Optional<String> torProblem() {
            return coordinator.torProblem();
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
        config.consensusPoll(),
        config.stallAfter(),
        metrics,
        new ResultsLogOutcomes(resultsLog));
  }
}
