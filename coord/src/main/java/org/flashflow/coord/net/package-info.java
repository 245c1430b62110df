/**
 * Netty plumbing shared by the coordinator's two servers (measurer TLS socket and control socket):
 * pipeline handler names, binding with operator-readable errors, address formatting. No domain
 * state and no protocol logic lives here.
 */
package org.flashflow.coord.net;
