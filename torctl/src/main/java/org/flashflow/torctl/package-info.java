/**
 * FlashFlow's side of the Tor control protocol: the jtorctl bridge, authentication, FlashFlow
 * commands, and parsers for CIRC, FF_MEAS and NEWCONSENSUS events and router status entries. Shared
 * by the coordinator, the measurer and the emulated network; holds no FlashFlow state.
 */
package org.flashflow.torctl;
