package org.flashflow.proto;

/**
 * One coordinator<->measurer message (docs/protocol.md section 2). Records validate their fields in
 * their compact constructors, so a decoded message is always well formed.
 */
public sealed interface Message permits ConnectToRelay, ConnectedToRelay, Failure, Go, BwReport {
  /**
   * The largest measurement id. Ids are unsigned 32-bit on the wire (the coordinator picks them in
   * 1..2^32-1); 0 is accepted so that a peer's odd but harmless choice is not a protocol error.
   */
  long MAX_MEAS_ID = 0xFFFF_FFFFL;

  /** The wire tag of this message. */
  MsgType type();
}
