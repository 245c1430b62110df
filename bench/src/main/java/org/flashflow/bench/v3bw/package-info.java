/**
 * Bandwidth-file speed harness ({@code scripts/bench-v3bw}): a generated week of results, timed
 * through the offline {@code flashflow v3bw}, a read-all baseline and the coordinator's in-memory
 * path. Prints numbers; asserts nothing.
 */
package org.flashflow.bench.v3bw;
