package org.flashflow.testnet;

/**
 * A relay as the network's directory lists it: its configuration and where its OR port listens.
 * Immutable, shared by every event loop.
 */
public record RelayEntry(RelaySpec spec, String address, int orPort) {
  public String fingerprint() {
    return spec.fingerprint();
  }

  public String nickname() {
    return spec.nickname();
  }
}
