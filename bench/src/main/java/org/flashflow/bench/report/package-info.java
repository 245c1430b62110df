/**
 * Report speed harness ({@code scripts/bench-report}): {@code flashflow report} over the v3bw
 * benchmark's week of results, timed as a new JVM next to {@code flashflow v3bw}. Prints numbers;
 * asserts nothing.
 */
package org.flashflow.bench.report;
