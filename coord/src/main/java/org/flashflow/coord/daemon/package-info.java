/**
 * Wiring of the coordinator daemon: configuration into settings, the one event loop, servers, tor,
 * results, and an orderly shutdown. The only package that reads the system clock or builds the
 * object graph; it holds no domain logic.
 */
package org.flashflow.coord.daemon;
