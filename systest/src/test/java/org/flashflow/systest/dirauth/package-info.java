/**
 * Real directory authorities: a private Tor network of Debian's stock tor on loopback (three
 * directory authorities and four relays, started once per test run) reading the bandwidth files
 * {@code flashflow v3bw} writes, and the outside tools that must accept those files (tor's own
 * parser, python3-stem).
 */
package org.flashflow.systest.dirauth;
