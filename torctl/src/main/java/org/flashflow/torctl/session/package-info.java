/**
 * Layer 3 of the tor client: {@link org.flashflow.torctl.session.TorSession}, a tor connection that
 * stays up (attach to a running tor and reconnect, or launch one and relaunch it), and launching
 * tor.
 */
package org.flashflow.torctl.session;
