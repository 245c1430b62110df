/**
 * The per-second results log: writing records durably, reading them back from rotated and
 * compressed siblings, the latest result per relay, and retention of old files. No Netty here.
 */
package org.flashflow.coord.results;
