package org.flashflow.coord.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flashflow.coord.core.CoordinatorStatus;
import org.flashflow.coord.core.CoordinatorStatus.MeasurementStatus;
import org.flashflow.coord.core.CoordinatorStatus.MeasurerStatus;

/**
 * Renders {@code status json}: one JSON object on one line (schema in docs/operations.md, "Status
 * as JSON"). The core's part comes from a {@link CoordinatorStatus}; the daemon adds the rest
 * (version, schedule, bandwidth file, results log) as plain maps.
 */
final class StatusJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusJson() {}

  static String of(CoordinatorStatus s, Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", extra.get("version"));
    Map<String, Object> tor = new LinkedHashMap<>();
    tor.put("state", s.torState().name());
    tor.put("detail", s.torDetail());
    m.put("tor", tor);
    List<Object> measurers = new ArrayList<>();
    for (MeasurerStatus ms : s.measurers()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", ms.name());
      one.put("address", ms.address());
      one.put("live_measurements", ms.liveMeasurements());
      measurers.add(one);
    }
    m.put("measurers", measurers);
    List<Object> live = new ArrayList<>();
    for (MeasurementStatus ms : s.measurements()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("meas_id", ms.measId());
      one.put("relay_fp", ms.relayFp());
      one.put("phase", ms.phase().name());
      one.put("seconds_done", ms.secondsDone());
      one.put("duration", ms.dur());
      one.put("measurers", ms.measurers());
      live.add(one);
    }
    Map<String, Object> measurements = new LinkedHashMap<>();
    measurements.put("live", live);
    measurements.put("completed_since_start", s.completed());
    measurements.put("failed_since_start", s.failed());
    m.put("measurements", measurements);
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      m.putIfAbsent(e.getKey(), e.getValue());
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status is not JSON-serialisable: " + e.getMessage(), e);
    }
  }
}
