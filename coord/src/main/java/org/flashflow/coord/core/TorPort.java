package org.flashflow.coord.core;

import java.util.List;
import java.util.Optional;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.TorCallback;

/**
 * The tor commands the core needs, asynchronous so that the loop never waits on tor. Implemented by
 * the tor adapter ({@code coord.tor}), which runs the blocking control-protocol calls on its own
 * thread with a timeout and delivers every completion on the loop. Called on the loop.
 */
public interface TorPort {
  /**
   * The first {@code COORD_START_MEAS}: tor launches a one-hop circuit to the relay.
   *
   * @param circId completes with the circuit id of {@code 250 LAUNCHED <circ_id>}
   */
  void coordStartMeas(long measId, String relayFp, int dur, TorCallback<Long> circId);

  /** The second {@code COORD_START_MEAS} (same arguments): starts the active phase. */
  void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done);

  /**
   * Finds a relay in tor's consensus ({@code GETINFO ns/id/<fp>} for a 40-hex fingerprint, else
   * {@code ns/name/<nickname>}); completes with empty when tor does not know it.
   */
  void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done);

  /** Every relay in tor's current consensus ({@code GETINFO ns/all}). */
  void consensus(TorCallback<List<RouterStatus>> done);

  /**
   * Every server descriptor tor holds ({@code GETINFO desc/all-recent}): empty for a tor that
   * fetches only microdescriptors (full ones need {@code FetchUselessDescriptors 1} or {@code
   * UseMicrodescriptors 0}). By default none, for ports that have no descriptors.
   */
  default void serverDescriptors(TorCallback<List<ServerDescriptor>> done) {
    done.onSuccess(List.of());
  }

  /** tor's version ({@code GETINFO version}); by default unknown. */
  default void torVersion(TorCallback<Optional<String>> done) {
    done.onSuccess(Optional.empty());
  }
}
