package org.flashflow.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.flashflow.coord.v3bw.DescriptorStore;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;

/**
 * One measured relay as the report shows it: its newest estimate next to what the network thinks of
 * it.
 *
 * @param nick from the consensus, else the descriptor; empty if neither knows the relay
 * @param estimate bytes/s, the newest completed measurement's
 * @param consensusWeight the consensus {@code w Bandwidth=} in bytes/s; -1 if not in the consensus
 * @param advertised tor's advertised bandwidth, {@code min(avg, burst, observed)} of the descriptor
 *     in bytes/s; -1 without a descriptor
 * @param clamped the relay claimed more background than we believe ({@link ResultsDigest#clamped})
 * @param capped the estimate is above the descriptor's {@code bandwidth-avg}: the bandwidth file
 *     votes {@code bandwidth-avg} ({@code flashflow_capped=1})
 * @param measurerLimited the estimate is a lower bound
 */
record RelayRow(
    String fp,
    String nick,
    long measId,
    long beginTs,
    double estimate,
    long consensusWeight,
    long advertised,
    boolean clamped,
    boolean capped,
    boolean measurerLimited) {

  /** The relays of {@code digest} with an estimate, largest estimate first. */
  static List<RelayRow> of(
      ResultsDigest digest, List<RouterStatus> consensus, DescriptorStore.Saved descriptors) {
    Map<String, ServerDescriptor> descs = descriptors.byFingerprint();
    Map<String, RouterStatus> byFp = new java.util.HashMap<>();
    consensus.forEach(rs -> byFp.putIfAbsent(rs.fingerprint(), rs));
    List<RelayRow> rows = new ArrayList<>();
    for (ResultsDigest.Relay r : digest.relays().values()) {
      if (!r.hasEstimate()) {
        continue;
      }
      RouterStatus rs = byFp.get(r.fp());
      ServerDescriptor d = descs.get(r.fp());
      String nick = rs != null ? rs.nickname() : d != null ? d.nickname() : "";
      long advertised =
          d == null
              ? -1
              : Math.min(d.bandwidthAvg(), Math.min(d.bandwidthBurst(), d.bandwidthObserved()));
      rows.add(
          new RelayRow(
              r.fp(),
              nick,
              r.measId(),
              r.beginTs(),
              r.estimate(),
              rs == null ? -1 : rs.bandwidthKbs() * 1000,
              advertised,
              r.clamped(),
              d != null && r.estimate() > d.bandwidthAvg(),
              r.measurerLimited()));
    }
    rows.sort(
        Comparator.comparingDouble(RelayRow::estimate).reversed().thenComparing(RelayRow::fp));
    return rows;
  }

  /** Where the scatter puts a marked relay: its consensus weight, else its advertised bandwidth. */
  long markY() {
    return consensusWeight > 0 ? consensusWeight : advertised;
  }
}
