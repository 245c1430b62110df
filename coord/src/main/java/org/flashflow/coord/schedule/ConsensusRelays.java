package org.flashflow.coord.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.flashflow.coord.core.TorPort;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule's relays: tor's consensus ({@code GETINFO ns/all}), filtered by {@code [schedule]
 * relay_filter_list}, each with its latest estimate from the in-memory results and its consensus
 * bandwidth. On the loop.
 */
final class ConsensusRelays implements ScheduleRunner.RelaySource {
  private static final Logger log = LoggerFactory.getLogger(ConsensusRelays.class);

  private final TorPort tor;
  private final RelayFilter filter;
  private final Supplier<Optional<Map<String, Double>>> estimates;

  /**
   * @param estimates each relay's latest estimate, bytes/s; empty while still loading
   */
  ConsensusRelays(
      TorPort tor, RelayFilter filter, Supplier<Optional<Map<String, Double>>> estimates) {
    this.tor = Objects.requireNonNull(tor, "tor");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.estimates = Objects.requireNonNull(estimates, "estimates");
  }

  @Override
  public void relays(Consumer<Optional<List<Planner.Relay>>> done) {
    tor.consensus(
        new TorCallback<>() {
          @Override
          public void onSuccess(List<RouterStatus> consensus) {
            if (consensus.isEmpty()) {
              log.warn("tor has no consensus yet: no relays to schedule");
              done.accept(Optional.empty());
              return;
            }
            done.accept(Optional.of(toRelays(consensus)));
          }

          @Override
          public void onError(TorFailure failure) {
            log.warn("cannot get the consensus from tor for the schedule: {}", failure);
            done.accept(Optional.empty());
          }
        });
  }

  private List<Planner.Relay> toRelays(List<RouterStatus> consensus) {
    Optional<Map<String, Double>> known = estimates.get();
    if (known.isEmpty()) {
      log.warn("latest results still loading: scheduling without estimates");
    }
    Map<String, Double> est = known.orElse(Map.of());
    List<Planner.Relay> out = new ArrayList<>();
    int filtered = 0;
    for (RouterStatus rs : consensus) {
      if (!filter.accepts(rs.fingerprint())) {
        filtered++;
        continue;
      }
      Double e = est.get(rs.fingerprint());
      out.add(
          new Planner.Relay(
              rs.fingerprint(),
              e == null ? OptionalDouble.empty() : OptionalDouble.of(e),
              rs.bandwidthKbs() > 0
                  ? OptionalLong.of(Math.multiplyExact(rs.bandwidthKbs(), 1000L))
                  : OptionalLong.empty()));
    }
    log.info(
        "consensus for the schedule: {} relays, {} left out by the relay filter list",
        out.size(),
        filtered);
    return out;
  }
}
