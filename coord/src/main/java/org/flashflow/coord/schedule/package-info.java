/**
 * The automatic measurement schedule (issue #7, proposal 316 section 3.2.1.2): slot arithmetic, the
 * relay filter list, measurer capacities, and the {@link org.flashflow.coord.schedule.Planner} that
 * decides which relay to measure when and with whom. Pure domain code: time and randomness come in
 * as arguments, nothing here touches Netty, tor or (except {@link
 * org.flashflow.coord.schedule.RelayFilter#load}, a one-shot read at startup) the file system.
 */
package org.flashflow.coord.schedule;
