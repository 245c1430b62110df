/**
 * The emulated network between a measurer and a relay: per-direction delays with jitter and tor's
 * circuit-level flow control (windows and SENDMEs). Pure, time passed in as nanoseconds, so it is
 * tested in virtual time; no Netty here.
 */
package org.flashflow.testnet.path;
