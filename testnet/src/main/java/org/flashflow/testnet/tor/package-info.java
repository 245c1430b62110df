/**
 * The FlashFlow side of the emulated tors: the coordinator's tor (COORD_START_MEAS, relaying the
 * relay's answers and background reports as FF_MEAS events) and the measurers' tors
 * (MEASR_START_MEAS, TLS connections to a relay's OR port that pump echo cells through an emulated
 * path, with round trip and circuit window, and count what comes back). Each tor's state lives on
 * the event loop of its control port.
 */
package org.flashflow.testnet.tor;
