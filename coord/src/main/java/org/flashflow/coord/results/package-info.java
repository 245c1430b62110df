/**
 * What measurements leave behind: the per-second results log (writing, reading back rotated and
 * compressed siblings), the estimate math, and the v3bw bandwidth file. No Netty here.
 */
package org.flashflow.coord.results;
