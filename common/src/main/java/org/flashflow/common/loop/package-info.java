/**
 * The event-loop port (executor, clock, timer in one) and its implementations. No domain state
 * lives here.
 */
package org.flashflow.common.loop;
