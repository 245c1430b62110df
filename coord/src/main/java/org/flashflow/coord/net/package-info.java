/**
 * Netty plumbing shared by the coordinator's two servers (measurer TLS socket and control socket):
 * binding with operator-readable errors. No domain state and no protocol logic lives here.
 */
package org.flashflow.coord.net;
