/**
 * The automatic measurement schedule (proposal 316 section 3.2.1.2): the pure planner (slot
 * arithmetic, relay filter list, measurer capacities, assignment), and the runner that drives it on
 * the loop with its state file and the relays of tor's consensus.
 */
package org.flashflow.coord.schedule;
