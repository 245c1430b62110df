package org.flashflow.testnet.relay;

/**
 * What a relay tells the coordinator's tor about one measurement (in real FlashFlow: cells on the
 * coordinator's circuit). Called on the relay loop; implementations post to their own loop.
 */
public interface RelayEvents {
  /** The coordinator's one-hop circuit to the relay is built. */
  void circuitBuilt(long measId);

  /** The relay's answer to the measurement parameters. */
  void paramsOk(long measId, boolean accepted);

  /** One background report: bytes sent and received for clients in the last second. */
  void bwReport(long measId, long sent, long recv);

  /** The relay's side is over: after its last report, or failed. */
  void ended(long measId, boolean success);
}
