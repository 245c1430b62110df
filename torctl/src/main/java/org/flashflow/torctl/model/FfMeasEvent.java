package org.flashflow.torctl.model;

/**
 * A {@code 650 FF_MEAS <meas_id> ...} event (docs/protocol.md section 3). At the coordinator's tor
 * a {@link BwReport} is the relay's background traffic; at a measurer's tor it is that measurer's
 * measurement traffic.
 */
public sealed interface FfMeasEvent extends TorEvent {
  long measId();

  /** {@code PARAMS_SENT}: the coordinator's tor sent the measurement parameters to the relay. */
  record ParamsSent(long measId) implements FfMeasEvent {}

  /** {@code PARAMS_OK ACCEPTED=TRUE|FALSE}: the relay's answer. */
  record ParamsOk(long measId, boolean accepted) implements FfMeasEvent {}

  /** {@code BW_REPORT SENT=<bytes> RECV=<bytes>}: one second of traffic. */
  record BwReport(long measId, long sent, long recv) implements FfMeasEvent {}

  /** {@code END SUCCESS=TRUE|FALSE}: tor's side of the measurement is over. */
  record End(long measId, boolean success) implements FfMeasEvent {}
}
