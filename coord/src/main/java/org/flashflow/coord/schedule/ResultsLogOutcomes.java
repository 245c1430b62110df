package org.flashflow.coord.schedule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ResultsLogReader;

/**
 * {@link LoggedOutcomes} from the results log and its rotated siblings, in one streaming pass that
 * keeps only the records of the relays asked about. Runs once, at a restart that found running
 * measurements in the state file.
 */
public final class ResultsLogOutcomes implements LoggedOutcomes {
  private final Path resultsLog;

  public ResultsLogOutcomes(Path resultsLog) {
    this.resultsLog = resultsLog;
  }

  @Override
  public Map<String, MeasurementRecord> newestSince(Map<String, Long> beganSince)
      throws IOException {
    Map<String, MeasurementRecord> newest = new HashMap<>();
    if (beganSince.isEmpty()) {
      return newest;
    }
    new ResultsLogReader(resultsLog)
        .read(
            record -> {
              Long since = beganSince.get(record.relayFp());
              if (since == null || record.beginTs() < since) {
                return;
              }
              // Among equal begin times the one read later wins, as everywhere else.
              newest.merge(
                  record.relayFp(), record, (old, r) -> r.beginTs() >= old.beginTs() ? r : old);
            });
    return newest;
  }
}
