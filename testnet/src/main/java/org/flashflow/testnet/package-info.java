/**
 * What the emulated FlashFlow tor network is made of, as values: its configuration, relay specs and
 * behaviours, the relays' identities and the directory. The parts that run ({@code control}, {@code
 * relay}, {@code tor}) and the assembly ({@code network}) build on these; nothing here imports
 * them.
 */
package org.flashflow.testnet;
