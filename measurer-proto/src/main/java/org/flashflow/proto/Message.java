package org.flashflow.proto;

/**
 * One coordinator<->measurer message (protocol.md section 2). Records validate their fields in
 * their compact constructors, so a decoded message is always well formed.
 */
public sealed interface Message permits ConnectToRelay, ConnectedToRelay, Failure, Go, BwReport {
  /** The wire tag of this message. */
  MsgType type();
}
