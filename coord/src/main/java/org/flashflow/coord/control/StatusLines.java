package org.flashflow.coord.control;

import java.util.ArrayList;
import java.util.List;
import org.flashflow.coord.core.CoordinatorStatus;
import org.flashflow.coord.core.CoordinatorStatus.MeasurementStatus;
import org.flashflow.coord.core.CoordinatorStatus.MeasurerStatus;

/**
 * Renders a {@link CoordinatorStatus} as the human-readable lines of {@code status}. Lines never
 * start with {@code OK} or {@code ERR}, since those end a reply.
 */
final class StatusLines {
  private StatusLines() {}

  static List<String> of(CoordinatorStatus s) {
    List<String> lines = new ArrayList<>();
    lines.add("tor: " + s.torState() + (s.torDetail().isEmpty() ? "" : " (" + s.torDetail() + ")"));
    lines.add("measurers: " + s.measurers().size() + " connected");
    for (MeasurerStatus m : s.measurers()) {
      lines.add(
          "  "
              + m.name()
              + " from "
              + m.address()
              + ", "
              + m.liveMeasurements()
              + " live measurement(s)");
    }
    long live = s.measurements().size();
    lines.add(
        "measurements: "
            + live
            + " live, "
            + s.completed()
            + " completed and "
            + s.failed()
            + " failed since start");
    for (MeasurementStatus m : s.measurements()) {
      lines.add(
          "  meas_id="
              + m.measId()
              + " fp="
              + m.relayFp()
              + " "
              + m.phase()
              + " "
              + m.secondsDone()
              + "/"
              + m.dur()
              + " s measurers="
              + String.join(",", m.measurers()));
    }
    return lines;
  }
}
