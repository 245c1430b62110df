/**
 * Coordinator<->measurer messages (docs/protocol.md section 2) as records, and the one codec that
 * turns them into JSON and back. No Netty and no I/O here; the JSON library stays behind the codec.
 */
package org.flashflow.proto;
