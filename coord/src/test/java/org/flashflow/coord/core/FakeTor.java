package org.flashflow.coord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorFailure;

/**
 * A {@link TorPort} that records commands and lets the test answer them, as the adapter would: on
 * the loop (the test thread). Relay lookups are answered at once from {@link #relays}.
 */
final class FakeTor implements TorPort {
  /** One recorded COORD_START_MEAS. */
  record Start<T>(long measId, String fp, int dur, TorCallback<T> callback) {}

  final List<Start<Long>> starts = new ArrayList<>();
  final List<Start<Void>> actives = new ArrayList<>();
  final Map<String, RouterStatus> relays = new HashMap<>();
  final List<String> lookups = new ArrayList<>();
  Optional<TorFailure> lookupFailure = Optional.empty();

  void addRelay(String nickname, String fp) {
    RouterStatus rs =
        new RouterStatus(
            nickname,
            fp,
            Instant.parse("2020-07-14T20:00:00Z"),
            "192.0.2.1",
            9001,
            0,
            Set.of("Running", "Valid"),
            1000,
            OptionalLong.empty());
    relays.put(fp, rs);
    relays.put(nickname, rs);
  }

  @Override
  public void coordStartMeas(long measId, String relayFp, int dur, TorCallback<Long> circId) {
    starts.add(new Start<>(measId, relayFp, dur, circId));
  }

  @Override
  public void coordStartMeasActive(long measId, String relayFp, int dur, TorCallback<Void> done) {
    actives.add(new Start<>(measId, relayFp, dur, done));
  }

  @Override
  public void lookupRelay(String fpOrNickname, TorCallback<Optional<RouterStatus>> done) {
    lookups.add(fpOrNickname);
    if (lookupFailure.isPresent()) {
      done.onError(lookupFailure.get());
    } else {
      done.onSuccess(Optional.ofNullable(relays.get(fpOrNickname)));
    }
  }

  @Override
  public void consensus(TorCallback<List<RouterStatus>> done) {
    done.onSuccess(List.copyOf(relays.values()));
  }

  Start<Long> start(long measId) {
    return starts.stream()
        .filter(s -> s.measId() == measId)
        .findFirst()
        .orElseGet(() -> fail("no COORD_START_MEAS for " + measId));
  }

  Start<Void> active(long measId) {
    List<Start<Void>> found = actives.stream().filter(s -> s.measId() == measId).toList();
    assertEquals(1, found.size(), "second COORD_START_MEAS for " + measId);
    return found.get(0);
  }
}
