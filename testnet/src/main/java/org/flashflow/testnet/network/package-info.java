/**
 * The running emulated network ({@code flashflow testnet}): {@link
 * org.flashflow.testnet.network.Testnet} wires the event loops, control ports and OR ports together
 * from the configuration, and {@link org.flashflow.testnet.network.Summary} prints what is where.
 */
package org.flashflow.testnet.network;
