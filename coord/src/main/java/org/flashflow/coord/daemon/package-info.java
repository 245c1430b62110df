/**
 * Wiring of the coordinator daemon, and nothing else: configuration into settings, the one event
 * loop, servers, tor, results, bandwidth file, schedule, and an orderly shutdown. The only package
 * that reads the system clock or builds the object graph; only the command line imports it.
 */
package org.flashflow.coord.daemon;
