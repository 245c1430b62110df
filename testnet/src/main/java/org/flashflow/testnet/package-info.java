/**
 * The emulated FlashFlow tor network ({@code flashflow testnet}): its configuration, the relays'
 * identities, and {@link org.flashflow.testnet.Testnet}, which wires the event loops, control ports
 * and OR ports together. Nothing here carries traffic or speaks a protocol itself.
 */
package org.flashflow.testnet;
