/**
 * The accuracy harness: the emulated network, a real coordinator and real measurers in one process,
 * measuring relays of known capacity and printing how close the estimates come.
 */
package org.flashflow.bench.accuracy;
