/**
 * The emulated relays: OR ports that echo measurement cells over TLS and send circuit SENDMEs, a
 * token bucket per relay shared by measurement and emulated background traffic (steady or in
 * bursts), an optional CPU cap in cells per second, the background throttle of docs/protocol.md
 * section 5, and the per-second background reports to the coordinator's tor. Every relay's state
 * lives on the one relay event loop; the coordinator's tor reaches a relay only by posting to it.
 */
package org.flashflow.testnet.relay;
