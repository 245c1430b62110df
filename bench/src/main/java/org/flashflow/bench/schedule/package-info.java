/**
 * The schedule benchmark: a synthetic Tor-sized network and a virtual-time simulation that drives
 * the real {@code coord.schedule.Planner}, printing planning time and makespans. No tests, no
 * network, no wall-clock waiting.
 */
package org.flashflow.bench.schedule;
