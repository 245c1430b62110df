/**
 * The Tor control protocol as the emulated tors speak it: authentication (NULL, COOKIE, SAFECOOKIE,
 * HASHEDPASSWORD), PROTOCOLINFO, GETINFO, SETEVENTS and event delivery, with stock tor's replies
 * byte for byte. FlashFlow's own commands are left to an {@link
 * org.flashflow.testnet.control.Extensions} that each tor plugs in; nothing here knows about
 * measurements. All of a port's state lives on the event loop its channels are registered on.
 */
package org.flashflow.testnet.control;
