/**
 * The bridge between the coordinator core and its tor client ({@code torctl}): connection
 * lifecycle, reconnects, and the {@code TorPort} commands. No FlashFlow state lives here.
 */
package org.flashflow.coord.tor;
