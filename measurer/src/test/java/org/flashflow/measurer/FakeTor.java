package org.flashflow.measurer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.flashflow.torctl.model.TorCallback;

/** A {@link MeasurerTorPort} that records commands; the test completes them by hand. */
final class FakeTor implements MeasurerTorPort {
  /** One MEASR_START_MEAS as the core sent it. */
  record Call<T>(long measId, String fp, int nCircs, int dur, OptionalLong bw, TorCallback<T> cb) {}

  final List<Call<List<Long>>> starts = new ArrayList<>();
  final List<Call<Void>> actives = new ArrayList<>();

  @Override
  public void measrStartMeas(
      long measId,
      String relayFp,
      int nCircs,
      int dur,
      OptionalLong bw,
      TorCallback<List<Long>> circIds) {
    starts.add(new Call<>(measId, relayFp, nCircs, dur, bw, circIds));
  }

  @Override
  public void measrStartMeasActive(
      long measId, String relayFp, int nCircs, int dur, OptionalLong bw, TorCallback<Void> done) {
    actives.add(new Call<>(measId, relayFp, nCircs, dur, bw, done));
  }

  Call<List<Long>> lastStart() {
    return starts.get(starts.size() - 1);
  }

  Call<Void> lastActive() {
    return actives.get(actives.size() - 1);
  }
}
