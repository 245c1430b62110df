/**
 * The running measurer: configuration read once at startup, and the wiring of the core to its one
 * event loop, the coordinator connection and tor. The only package that picks a real clock.
 */
package org.flashflow.measurer.daemon;
