/**
 * Layer 1 of the tor client: one blocking control connection over jtorctl (TCP or Unix socket),
 * authentication (NULL, SAFECOOKIE, COOKIE, HASHEDPASSWORD) and the bridge from jtorctl's reader
 * thread to a {@link org.flashflow.torctl.client.TorEventListener}.
 */
package org.flashflow.torctl.client;
